namespace Sealpod.Vmm.Lifecycle;

/// <summary>What every driver's session holds that <see cref="LifecycleHypervisor"/> answers from: the VM's files and the agent's endpoint.</summary>
internal interface IVmSession
{
    /// <summary>The VM's files.</summary>
    IVmFiles Files { get; }

    /// <summary>Where the agent is reached.</summary>
    AgentEndpoint AgentEndpoint { get; }
}
