namespace Sealpod.Vmm;

/// <summary>
/// Hybrid vsock (Cloud Hypervisor, Firecracker): a host unix socket on which the client writes
/// <c>CONNECT Port\n</c> and waits for an <c>OK</c> line before speaking ttrpc.
/// </summary>
public sealed record HybridVsockAgentEndpoint(string SocketPath, uint Port) : AgentEndpoint
{
    /// <inheritdoc />
    public override string ToString() => $"hvsock://{SocketPath}:{Port}";
}
