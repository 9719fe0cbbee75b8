using Sealpod.Contract.Agent;

namespace Sealpod.Vmm;

/// <summary>The agent on <c>vsock://Cid:Port</c>.</summary>
/// <param name="Cid">The guest's context id.</param>
/// <param name="Port">The agent's port; Kata's is 1024.</param>
public sealed record VsockAgentEndpoint(uint Cid, uint Port) : AgentEndpoint
{
    /// <summary>The Kata agent's vsock port.</summary>
    public const uint DefaultPort = AgentChannel.VsockPort;

    /// <inheritdoc />
    public override string ToString() => $"vsock://{Cid}:{Port}";
}
