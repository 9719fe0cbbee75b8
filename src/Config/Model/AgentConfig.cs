namespace Sealpod.Config;

/// <summary><c>[agent.kata]</c>: how the runtime talks to the guest agent and what it asks of it.</summary>
public sealed record AgentConfig
{
    /// <summary>The table name after <c>agent.</c>; Kata's templates use <c>kata</c>.</summary>
    public string Name { get; init; } = "kata";

    /// <summary><c>enable_debug</c>: agent debug logging (<c>agent.log=debug</c>).</summary>
    public bool EnableDebug { get; init; }

    /// <summary><c>enable_tracing</c>.</summary>
    public bool EnableTracing { get; init; }

    /// <summary><c>kernel_modules</c>: <c>"name param=value ..."</c> entries loaded with modprobe in the guest.</summary>
    public EquatableArray<string> KernelModules { get; init; } = [];

    /// <summary><c>debug_console_enabled</c>.</summary>
    public bool DebugConsoleEnabled { get; init; }

    /// <summary><c>dial_timeout</c>: how long to keep dialling the agent after boot.</summary>
    public TimeSpan DialTimeout { get; init; } = TimeSpan.FromSeconds(45);

    /// <summary><c>cdh_api_timeout</c>: Confidential Data Hub API timeout (<c>agent.cdh_api_timeout</c>).</summary>
    public TimeSpan CdhApiTimeout { get; init; } = TimeSpan.FromSeconds(50);

    /// <summary><c>launch_process_timeout</c>: how long the agent waits for guest components' sockets.</summary>
    public TimeSpan LaunchProcessTimeout { get; init; } = TimeSpan.FromSeconds(6);

    /// <summary><c>container_pipe_size</c> (runtime-rs key; also the <c>agent.container_pipe_size</c> annotation): 0 = agent default.</summary>
    public int ContainerPipeSize { get; init; }
}
