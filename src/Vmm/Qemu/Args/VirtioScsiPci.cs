namespace Sealpod.Vmm.Qemu.Args;

/// <summary><c>-device virtio-scsi-pci,id=ID</c>: the SCSI controller; its bus is <c>ID.0</c>.</summary>
public sealed record VirtioScsiPci(string Id) : IQemuArgs
{
    /// <summary>Optional placement; null lets QEMU pick a slot on the root bus.</summary>
    public PciAddress? Address { get; init; }

    /// <summary>The controller's SCSI bus name, which <see cref="ScsiHd"/> attaches to.</summary>
    public string BusName => Id + ".0";

    /// <inheritdoc />
    public IEnumerable<string> Render() =>
        ["-device", new QemuOptionList("virtio-scsi-pci").Add("id", Id).Add("bus", Address?.Bus).Add("addr", Address?.Addr).ToString()];
}
