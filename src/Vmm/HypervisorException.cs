namespace Sealpod.Vmm;

/// <summary>A hypervisor operation failed.</summary>
public class HypervisorException : Exception
{
    /// <summary>Creates the exception.</summary>
    public HypervisorException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public HypervisorException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public HypervisorException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
