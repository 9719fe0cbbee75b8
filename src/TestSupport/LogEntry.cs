using Microsoft.Extensions.Logging;

namespace Sealpod.TestSupport;

/// <summary>One call a <see cref="ListLogger"/> received, with its message formatted as an operator would read it.</summary>
public sealed record LogEntry(LogLevel Level, string Message, Exception? Exception)
{
    /// <summary>"Level: message", without the exception.</summary>
    public override string ToString() => $"{Level}: {Message}";
}
