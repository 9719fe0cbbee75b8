namespace Sealpod.Vmm.Acceleration;

/// <summary>What the configuration or the operator asks for.</summary>
public enum AcceleratorPreference
{
    /// <summary>Probe: KVM when it can really boot the guest, else TCG.</summary>
    Auto,

    /// <summary>KVM, unchecked (QEMU fails clearly if it cannot).</summary>
    Kvm,

    /// <summary>TCG, always.</summary>
    Tcg,
}
