namespace Sealpod.Agent.Errors;

/// <summary>The request itself is malformed: a bad id, path, spec field or storage entry; the message names it.</summary>
internal sealed class InvalidArgumentException : Exception
{
    public InvalidArgumentException(string message)
        : base(message)
    {
    }

    public InvalidArgumentException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
