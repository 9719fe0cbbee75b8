namespace Sealpod.Vmm.Qemu.Args;

/// <summary><c>-device virtio-blk-pci,drive=NODE,id=ID[,bus=,addr=][,serial=]</c>.</summary>
public sealed record VirtioBlkPci(string Id, string Drive) : IQemuArgs
{
    /// <summary>Placement; Kata puts block devices on a PCI bridge so the slot gives a stable guest PCI path.</summary>
    public PciAddress? Address { get; init; }

    /// <summary>The serial the guest reads from /sys/block/vdX/serial, used to find a disk by name.</summary>
    public string? Serial { get; init; }

    /// <inheritdoc />
    public IEnumerable<string> Render() =>
    [
        "-device",
        new QemuOptionList("virtio-blk-pci")
            .Add("drive", Drive)
            .Add("id", Id)
            .Add("bus", Address?.Bus)
            .Add("addr", Address?.Addr)
            .Add("serial", Serial)
            .ToString(),
    ];
}
