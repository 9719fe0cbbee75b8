namespace Sealpod.Agent.Errors;

/// <summary>The request is valid but not in the object's current state (for example pausing a stopped container).</summary>
internal sealed class FailedPreconditionException : Exception
{
    public FailedPreconditionException(string message)
        : base(message)
    {
    }

    public FailedPreconditionException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
