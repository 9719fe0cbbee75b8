using Microsoft.Extensions.Logging;

namespace Sealpod.TestSupport;

/// <summary>Keeps every log call, so tests can check what was (and was not) logged. Safe to log to from any thread.</summary>
public class ListLogger : ILogger
{
    private readonly List<LogEntry> _entries = [];

    public IReadOnlyList<LogEntry> Entries
    {
        get
        {
            lock (_entries)
            {
                return [.. _entries];
            }
        }
    }

    /// <summary>Each entry as "Level: message".</summary>
    public IReadOnlyList<string> Lines => Entries.Select(e => e.ToString()).ToArray();

    /// <summary>Each entry as "Level: message" followed by its exception, if any: everything a log sink would write.</summary>
    public IReadOnlyList<string> Transcript =>
        Entries.Select(e => e.Exception is null ? e.ToString() : e + " " + e.Exception).ToArray();

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        var entry = new LogEntry(logLevel, formatter(state, exception), exception);
        lock (_entries)
        {
            _entries.Add(entry);
        }
    }
}

/// <summary>The typed form, for components that take an <see cref="ILogger{TCategoryName}"/>.</summary>
public sealed class ListLogger<T> : ListLogger, ILogger<T>;
