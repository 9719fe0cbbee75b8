namespace Sealpod.IntegrationTests;

/// <summary>How a command ended and what it wrote.</summary>
public sealed record CommandResult(int ExitCode, byte[] Stdout, string Stderr)
{
    public string Text => Encoding.UTF8.GetString(Stdout);

    public override string ToString() => $"exit {ExitCode}; stdout: {Text.Trim()}; stderr: {Stderr.Trim()}";
}
