namespace Sealpod.Vmm.CloudHypervisor;

/// <summary>What the Cloud Hypervisor driver holds while its VM runs, published once the start succeeded.</summary>
/// <param name="Api">The REST API client.</param>
/// <param name="Files">The VM's files.</param>
/// <param name="AgentEndpoint">Where the agent is reached (hybrid vsock).</param>
internal sealed record ClhSession(ClhApiClient Api, ClhVmFiles Files, AgentEndpoint AgentEndpoint) : IVmSession
{
    IVmFiles IVmSession.Files => Files;
}
