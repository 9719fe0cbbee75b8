namespace Sealpod.Runtime.Errors;

/// <summary>
/// An error whose kind the runtime decided (errdefs style). Domain code throws the subclass that says what went
/// wrong; <see cref="ErrorClassifier"/> alone turns kinds into status codes at the edge.
/// </summary>
public abstract class RuntimeException : Exception
{
    protected RuntimeException(string message)
        : base(message)
    {
    }

    protected RuntimeException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
