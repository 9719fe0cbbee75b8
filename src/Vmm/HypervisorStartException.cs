namespace Sealpod.Vmm;

/// <summary>
/// The VM did not come up. Carries the hypervisor's own output, because "QEMU exited with code 1"
/// is useless without the line that says which file it could not open.
/// </summary>
public sealed class HypervisorStartException : HypervisorException
{
    /// <summary>Creates the exception.</summary>
    public HypervisorStartException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public HypervisorStartException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public HypervisorStartException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with the process's exit code and output.</summary>
    public HypervisorStartException(string message, int? exitCode, string output, Exception? innerException = null)
        : base(Compose(message, exitCode, output), innerException)
    {
        ExitCode = exitCode;
        Output = output;
    }

    /// <summary>The exit code, when the process had exited.</summary>
    public int? ExitCode { get; }

    /// <summary>The tail of the hypervisor's stdout and stderr.</summary>
    public string Output { get; } = string.Empty;

    private static string Compose(string message, int? exitCode, string output)
    {
        var text = exitCode is { } code ? $"{message} (exit code {code})" : message;
        return string.IsNullOrWhiteSpace(output) ? text : $"{text}: {output.Trim()}";
    }
}
