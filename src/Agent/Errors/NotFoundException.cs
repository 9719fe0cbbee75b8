namespace Sealpod.Agent.Errors;

/// <summary>A container, process or file the request names does not exist.</summary>
internal sealed class NotFoundException : Exception
{
    public NotFoundException(string message)
        : base(message)
    {
    }

    public NotFoundException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
