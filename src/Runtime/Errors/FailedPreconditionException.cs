namespace Sealpod.Runtime.Errors;

/// <summary>The object is in a state that does not allow the call (pausing a stopped container, deleting a running one).</summary>
public sealed class FailedPreconditionException : RuntimeException
{
    public FailedPreconditionException(string message)
        : base(message)
    {
    }

    public FailedPreconditionException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
