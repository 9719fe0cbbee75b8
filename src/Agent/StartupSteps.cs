namespace Sealpod.Agent;

/// <summary>
/// The agent's start, step by step, on the debug log only (agent.log=debug): where the time between exec and
/// listening goes, which under TCG is a visible part of pod start (issue 14). Each line gives the step's own
/// duration, the time since Main and the guest's uptime, so it lines up with /init's "init ready" line and the
/// kernel's timestamps. Costs nothing without debug: no clock read, no file read.
/// </summary>
internal sealed class StartupSteps(ILogger log, long mainEntered)
{
    private readonly bool _enabled = log.IsEnabled(LogLevel.Debug);
    private readonly long _mainEntered = mainEntered;
    private long _last = mainEntered;

    /// <summary>
    /// Logs that Main was entered, with the uptime: from /init's exec (its "init ready" line has the uptime) to here is
    /// the NativeAOT runtime's own start (binary paged in, GC heap, threads), before any of the agent's code.
    /// </summary>
    public void Entered()
    {
        if (_enabled)
        {
            log.LogDebug("start: Main entered (uptime {UptimeMs} ms)", Uptime());
        }
    }

    /// <summary>Logs the step that just ended.</summary>
    public void Done(string step)
    {
        if (!_enabled)
        {
            return;
        }

        var now = Stopwatch.GetTimestamp();
        log.LogDebug(
            "start: {Step} took {StepMs} ms ({MainMs} ms since Main, uptime {UptimeMs} ms)",
            step,
            Stopwatch.GetElapsedTime(_last, now).TotalMilliseconds.ToString("0.0", CultureInfo.InvariantCulture),
            Stopwatch.GetElapsedTime(_mainEntered, now).TotalMilliseconds.ToString("0.0", CultureInfo.InvariantCulture),
            Uptime());
        // The next step starts after this line is written: a step does not include the log's own cost.
        _last = Stopwatch.GetTimestamp();
    }

    private static string Uptime() => GuestUptime.Milliseconds()?.ToString("0", CultureInfo.InvariantCulture) ?? "unknown";
}
