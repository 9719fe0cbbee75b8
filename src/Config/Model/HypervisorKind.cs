namespace Sealpod.Config;

/// <summary>Which VMM a <c>[hypervisor.*]</c> section configures.</summary>
public enum HypervisorKind
{
    /// <summary><c>[hypervisor.qemu]</c>.</summary>
    Qemu,

    /// <summary><c>[hypervisor.clh]</c>: Cloud Hypervisor.</summary>
    CloudHypervisor,
}
