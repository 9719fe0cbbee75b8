namespace Sealpod.Runtime.Diagnostics;

/// <summary>
/// Named spans of one operation (a container create), each marked as the shim's own work or as waiting on
/// the VM and the guest, so the log can say how much of a start the shim itself cost. Not thread-safe: one
/// operation records into it at a time.
/// </summary>
public sealed class StartupTimeline
{
    private readonly long _started = Stopwatch.GetTimestamp();
    private readonly List<(string Name, TimeSpan Duration, bool External)> _spans = [];

    /// <summary>Time since the timeline was created.</summary>
    public TimeSpan Elapsed => Stopwatch.GetElapsedTime(_started);

    /// <summary>Time spent waiting on the VM and the guest.</summary>
    public TimeSpan External => _spans.Where(s => s.External).Aggregate(TimeSpan.Zero, (sum, s) => sum + s.Duration);

    /// <summary>Runs <paramref name="step"/> as span <paramref name="name"/>.</summary>
    public async Task<T> MeasureAsync<T>(string name, bool external, Func<Task<T>> step)
    {
        ArgumentNullException.ThrowIfNull(step);
        long start = Stopwatch.GetTimestamp();
        try
        {
            return await step().ConfigureAwait(false);
        }
        finally
        {
            _spans.Add((name, Stopwatch.GetElapsedTime(start), external));
        }
    }

    /// <summary>Runs <paramref name="step"/> as span <paramref name="name"/>.</summary>
    public async Task MeasureAsync(string name, bool external, Func<Task> step)
    {
        ArgumentNullException.ThrowIfNull(step);
        long start = Stopwatch.GetTimestamp();
        try
        {
            await step().ConfigureAwait(false);
        }
        finally
        {
            _spans.Add((name, Stopwatch.GetElapsedTime(start), external));
        }
    }

    /// <summary>"total=812.4ms shim=9.1ms vm+guest=803.3ms [vm-start=310.2ms* ...]", * marking VM/guest spans.</summary>
    public string Format()
    {
        var elapsed = Elapsed;
        var external = External;
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"total={elapsed.TotalMilliseconds:0.0}ms shim={(elapsed - external).TotalMilliseconds:0.0}ms vm+guest={external.TotalMilliseconds:0.0}ms [");
        for (int i = 0; i < _spans.Count; i++)
        {
            var (name, duration, isExternal) = _spans[i];
            text.Append(CultureInfo.InvariantCulture, $"{(i == 0 ? string.Empty : " ")}{name}={duration.TotalMilliseconds:0.0}ms{(isExternal ? "*" : string.Empty)}");
        }

        return text.Append(']').ToString();
    }
}
