namespace Sealpod.HostCheck.Probing;

/// <summary>The outcome of running a command: exit code and output, or the reason it could not start or finish.</summary>
public sealed record CommandResult(string CommandLine, int? ExitCode, string Stdout, string Stderr, string? Error)
{
    public bool Succeeded => Error is null && ExitCode == 0;

    public static CommandResult Failed(string commandLine, string error) => new(commandLine, null, "", "", error);

    /// <summary>A short description for evidence: the exit code, or the error.</summary>
    public string Describe() => Error ?? $"exit {ExitCode}";
}
