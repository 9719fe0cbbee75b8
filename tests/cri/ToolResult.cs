namespace Sealpod.CriHarness;

/// <summary>What a helper program (ip, ctr, containerd's tools) exited with and printed.</summary>
public sealed record ToolResult(string Program, IReadOnlyList<string> Arguments, int ExitCode, string Stdout, string Stderr)
{
    public bool Succeeded => ExitCode == 0;

    /// <summary>Throws, naming the command and what it printed, unless it exited 0.</summary>
    public ToolResult EnsureSuccess() =>
        Succeeded ? this : throw new InvalidOperationException($"{this}");

    public override string ToString()
    {
        var text = new StringBuilder().Append(Program).Append(' ').AppendJoin(' ', Arguments).Append(" exited ").Append(ExitCode);
        if (Stdout.Length > 0)
        {
            text.Append("\nstdout: ").Append(Stdout.TrimEnd());
        }

        if (Stderr.Length > 0)
        {
            text.Append("\nstderr: ").Append(Stderr.TrimEnd());
        }

        return text.ToString();
    }
}
