namespace Sealpod.Agent;

/// <summary>
/// A logger that writes one line per message to stderr, which in the guest is the console the host
/// captures. Kept minimal on purpose: the console provider's options binding is not AOT-friendly.
/// </summary>
internal sealed class AgentLog : ILogger
{
    private readonly TextWriter _writer;
    private readonly LogLevel _minimum;
    private readonly Lock _gate = new();

    public AgentLog(TextWriter writer, LogLevel minimum = LogLevel.Information)
    {
        _writer = writer;
        _minimum = minimum;
    }

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= _minimum && logLevel != LogLevel.None;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        if (!IsEnabled(logLevel))
        {
            return;
        }

        var line = $"sealpod-agent {LevelName(logLevel)}: {formatter(state, exception)}";
        if (exception is not null)
        {
            line += $": {exception.Message}";
        }

        lock (_gate)
        {
            _writer.WriteLine(line);
            _writer.Flush();
        }
    }

    private static string LevelName(LogLevel level) => level switch
    {
        LogLevel.Trace => "trace",
        LogLevel.Debug => "debug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warning",
        LogLevel.Error => "error",
        _ => "critical",
    };
}
