using Sealpod.AgentClient.Transport;
using ClientEndpoint = Sealpod.AgentClient.Transport.AgentEndpoint;
using VmmEndpoint = Sealpod.Vmm.AgentEndpoint;

namespace Sealpod.Runtime.Translation;

/// <summary>The hypervisor's description of where the agent listens, as the agent client's dialing endpoint.</summary>
public static class AgentEndpoints
{
    public static ClientEndpoint ToClient(VmmEndpoint endpoint) => endpoint switch
    {
        VirtioSerialAgentEndpoint serial => new SerialEndpoint(serial.SocketPath),
        VsockAgentEndpoint vsock => new VsockEndpoint(vsock.Cid, vsock.Port),
        HybridVsockAgentEndpoint hybrid => new HybridVsockEndpoint(hybrid.SocketPath, hybrid.Port),
        null => throw new ArgumentNullException(nameof(endpoint)),
        _ => throw new NotSupportedException($"no agent client transport for {endpoint}"),
    };
}
