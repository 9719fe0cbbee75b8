namespace Sealpod.Runtime.Errors;

/// <summary>An object the call names (container, exec process, sandbox) does not exist.</summary>
public sealed class NotFoundException : RuntimeException
{
    public NotFoundException(string message)
        : base(message)
    {
    }

    public NotFoundException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
