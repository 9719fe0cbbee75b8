namespace Sealpod.Vmm.Qemu.Args;

/// <summary><c>-device virtio-serial-pci,id=ID</c>: the controller virtserialports hang off.</summary>
public sealed record VirtioSerialPci(string Id) : IQemuArgs
{
    /// <summary>Optional placement; null lets QEMU pick a slot on the root bus.</summary>
    public PciAddress? Address { get; init; }

    /// <inheritdoc />
    public IEnumerable<string> Render() =>
        ["-device", new QemuOptionList("virtio-serial-pci").Add("id", Id).Add("bus", Address?.Bus).Add("addr", Address?.Addr).ToString()];
}
