namespace Sealpod.Runtime.Errors;

/// <summary>The runtime does not support the call (checkpoint, restore).</summary>
public sealed class UnimplementedException : RuntimeException
{
    public UnimplementedException(string message)
        : base(message)
    {
    }

    public UnimplementedException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
