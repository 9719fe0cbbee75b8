namespace Sealpod.Vmm.Qemu.Qmp;

public sealed partial class QmpClient
{
    [LoggerMessage(Level = LogLevel.Debug, Message = "QMP greeting: QEMU {Version}, capabilities [{Capabilities}]")]
    private static partial void LogGreeting(ILogger logger, string version, string capabilities);

    [LoggerMessage(Level = LogLevel.Debug, Message = "QMP -> {Command} (id {Id})")]
    private static partial void LogCommandSent(ILogger logger, string command, long id);

    [LoggerMessage(Level = LogLevel.Debug, Message = "QMP event {Name}")]
    private static partial void LogEvent(ILogger logger, string name);

    [LoggerMessage(Level = LogLevel.Debug, Message = "QMP reply matches no pending command: {Message}")]
    private static partial void LogUnmatchedReply(ILogger logger, string message);

    [LoggerMessage(Level = LogLevel.Warning, Message = "QMP message of unknown shape ignored: {Message}")]
    private static partial void LogUnknownMessage(ILogger logger, string message);

    [LoggerMessage(Level = LogLevel.Debug, Message = "QMP connection closed: {Reason}")]
    private static partial void LogClosed(ILogger logger, string reason);
}
