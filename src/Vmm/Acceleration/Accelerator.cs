namespace Sealpod.Vmm.Acceleration;

/// <summary>How guest code is executed.</summary>
public enum Accelerator
{
    /// <summary>Hardware virtualization through /dev/kvm.</summary>
    Kvm,

    /// <summary>QEMU's software emulator; slow but works everywhere.</summary>
    Tcg,
}
