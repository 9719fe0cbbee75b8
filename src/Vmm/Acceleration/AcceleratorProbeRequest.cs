namespace Sealpod.Vmm.Acceleration;

/// <summary>What a VM about to start needs decided.</summary>
public sealed record AcceleratorProbeRequest
{
    /// <summary>What the configuration asks for.</summary>
    public AcceleratorPreference Preference { get; init; } = AcceleratorPreference.Auto;

    /// <summary>
    /// The guest kernel. When set and a boot test is available, KVM is chosen only after this
    /// kernel booted under it; when null, a KVM device that creates VMs is trusted.
    /// </summary>
    public string? KernelPath { get; init; }
}
