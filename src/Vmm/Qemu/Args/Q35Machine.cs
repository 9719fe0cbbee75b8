namespace Sealpod.Vmm.Qemu.Args;

/// <summary>The x86-64 PCIe machine (<c>q35</c>).</summary>
public sealed record Q35Machine : Machine
{
    /// <summary>A pinned machine version such as <c>7.2</c> (<c>pc-q35-7.2</c>); null for the newest (<c>q35</c>).</summary>
    public string? Version { get; init; }

    /// <inheritdoc />
    public override string Type => Version is null ? "q35" : "pc-q35-" + Version;

    /// <summary>
    /// <c>kernel_irqchip</c>: <c>split</c> is required by SEV-SNP and TDX, which cannot use the
    /// in-kernel IOAPIC. Null leaves QEMU's default.
    /// </summary>
    public string? KernelIrqchip { get; init; }

    /// <summary>
    /// <c>sata</c> and <c>smbus</c>: q35's built-in AHCI controller (00:1f.2) and SMBus controller (00:1f.3), which
    /// <c>-nodefaults</c> does not remove. False leaves them out; null keeps QEMU's default (on).
    /// </summary>
    public bool? ChipsetStorageAndSmbus { get; init; }

    /// <inheritdoc />
    protected override void AddTypeOptions(QemuOptionList options) => options
        .Add("kernel_irqchip", KernelIrqchip)
        .Add("sata", ChipsetStorageAndSmbus)
        .Add("smbus", ChipsetStorageAndSmbus);
}
