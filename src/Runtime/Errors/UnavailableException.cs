namespace Sealpod.Runtime.Errors;

/// <summary>A component the call needs is gone or not answering: the VM died, the agent did not answer.</summary>
public sealed class UnavailableException : RuntimeException
{
    public UnavailableException(string message)
        : base(message)
    {
    }

    public UnavailableException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
