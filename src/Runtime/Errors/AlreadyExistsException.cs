namespace Sealpod.Runtime.Errors;

/// <summary>The call would create an object whose id is taken.</summary>
public sealed class AlreadyExistsException : RuntimeException
{
    public AlreadyExistsException(string message)
        : base(message)
    {
    }

    public AlreadyExistsException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
