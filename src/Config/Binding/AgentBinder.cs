namespace Sealpod.Config;

/// <summary>Reads <c>[agent.kata]</c>.</summary>
internal static class AgentBinder
{
    /// <summary>runtime-rs agent keys (millisecond timeouts, ports) Kata accepts and Sealpod keeps without using.</summary>
    internal static readonly FrozenSet<string> KataValidUnmodelled = new[]
    {
        "dial_timeout_ms", "reconnect_timeout_ms", "request_timeout_ms", "health_check_request_timeout_ms",
        "server_port", "log_port", "mem_agent",
    }.ToFrozenSet(StringComparer.Ordinal);

    public static AgentConfig Bind(string name, SectionReader r, IDictionary<string, TomlValue> unmodelled)
    {
        var d = new AgentConfig { Name = name };
        var result = d with
        {
            EnableDebug = r.Bool("enable_debug", d.EnableDebug),
            EnableTracing = r.Bool("enable_tracing", d.EnableTracing),
            KernelModules = r.Strings("kernel_modules", d.KernelModules, StringRule.NonEmpty),
            DebugConsoleEnabled = r.Bool("debug_console_enabled", d.DebugConsoleEnabled),
            DialTimeout = r.Seconds("dial_timeout", d.DialTimeout, 1),
            CdhApiTimeout = r.Seconds("cdh_api_timeout", d.CdhApiTimeout, 1),
            LaunchProcessTimeout = r.Seconds("launch_process_timeout", d.LaunchProcessTimeout, 1),
            ContainerPipeSize = r.Int32("container_pipe_size", d.ContainerPipeSize, 0, int.MaxValue, "an integer number of bytes >= 0 (0 = agent default)"),
        };
        r.Finish(KataValidUnmodelled, unmodelled);
        return result;
    }
}
