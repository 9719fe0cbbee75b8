namespace Sealpod.HostCheck.Cli;

/// <summary>Bad command-line input; the message says what was wrong and the CLI exits with status 2.</summary>
public sealed class CliUsageException(string message) : Exception(message);
