namespace Sealpod.AgentClient;

/// <summary>
/// The guest agent could not be reached or stopped answering: it never came up within
/// <c>dial_timeout</c>, or the VM under it died. The message says which, with the guest console's tail.
/// </summary>
public sealed class AgentUnreachableException : Exception
{
    public AgentUnreachableException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
