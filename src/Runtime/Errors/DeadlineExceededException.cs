namespace Sealpod.Runtime.Errors;

/// <summary>An operation did not finish within its time limit.</summary>
public sealed class DeadlineExceededException : RuntimeException
{
    public DeadlineExceededException(string message)
        : base(message)
    {
    }

    public DeadlineExceededException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
