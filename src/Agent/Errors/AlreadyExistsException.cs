namespace Sealpod.Agent.Errors;

/// <summary>The request would create something that already exists (a container or exec id).</summary>
internal sealed class AlreadyExistsException : Exception
{
    public AlreadyExistsException(string message)
        : base(message)
    {
    }

    public AlreadyExistsException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
