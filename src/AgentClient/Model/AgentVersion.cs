namespace Sealpod.AgentClient.Model;

/// <summary>The agent's own version and the version of the RPC stack it serves with.</summary>
public sealed record AgentVersion(string Agent, string Rpc);
