namespace Sealpod.AgentClient.Model;

/// <summary>What the agent's health check answers.</summary>
public enum AgentHealth
{
    Unknown = 0,
    Serving = 1,
    NotServing = 2,
}
