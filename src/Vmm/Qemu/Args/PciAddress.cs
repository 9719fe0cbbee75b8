namespace Sealpod.Vmm.Qemu.Args;

/// <summary>Where a PCI device is plugged: a bus id and optionally a slot on it.</summary>
public readonly record struct PciAddress(string Bus, int? Slot = null)
{
    /// <summary>The slot as QEMU's <c>addr=</c> value (hex), or null to let QEMU choose.</summary>
    public string? Addr => Slot?.ToString("x", CultureInfo.InvariantCulture);
}
