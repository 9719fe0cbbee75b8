namespace Sealpod.Agent.Errors;

/// <summary>The agent policy denies the request; the message names the request and the rule that decided.</summary>
internal sealed class PermissionDeniedException : Exception
{
    public PermissionDeniedException(string message)
        : base(message)
    {
    }

    public PermissionDeniedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
