namespace Sealpod.Agent.Policy;

/// <summary>A policy document this agent cannot enforce; the message names its source and line.</summary>
internal sealed class PolicyException : Exception
{
    public PolicyException(string message)
        : base(message)
    {
    }

    public PolicyException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
