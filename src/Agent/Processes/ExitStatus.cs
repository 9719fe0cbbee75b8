namespace Sealpod.Agent.Processes;

/// <summary>How a process ended: an exit code, or the signal that killed it.</summary>
internal readonly record struct ExitStatus(int Code, int Signal)
{
    /// <summary>Decodes a <c>waitpid</c> status word (WIFEXITED / WIFSIGNALED).</summary>
    public static ExitStatus FromWaitStatus(int status)
    {
        var termination = status & 0x7f;
        return termination == 0
            ? new ExitStatus((status >> 8) & 0xff, 0)
            : new ExitStatus(0, termination);
    }

    /// <summary>The shell convention the Kata and containerd APIs report: code, or 128 + signal.</summary>
    public int ShellCode => Signal != 0 ? 128 + Signal : Code;

    public override string ToString() => Signal != 0 ? $"killed by signal {Signal}" : $"exit code {Code}";
}
