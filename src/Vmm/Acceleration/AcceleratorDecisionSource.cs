namespace Sealpod.Vmm.Acceleration;

/// <summary>How an <see cref="AcceleratorDecision"/> was reached.</summary>
public enum AcceleratorDecisionSource
{
    /// <summary>Forced by configuration or the environment.</summary>
    Override,

    /// <summary>Decided by probing the host now.</summary>
    Probe,

    /// <summary>A boot test's earlier verdict for the same host, kernel and hypervisor binary.</summary>
    Cache,
}
