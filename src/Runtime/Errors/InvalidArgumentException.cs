namespace Sealpod.Runtime.Errors;

/// <summary>The request itself is wrong: a malformed id or spec, a refused annotation, bad configuration.</summary>
public sealed class InvalidArgumentException : RuntimeException
{
    public InvalidArgumentException(string message)
        : base(message)
    {
    }

    public InvalidArgumentException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
