namespace Sealpod.Vmm.Qemu.Args;

/// <summary><c>-device virtio-scsi-ccw,id=ID</c>: the SCSI controller on s390x's channel subsystem; its bus is <c>ID.0</c>.</summary>
public sealed record VirtioScsiCcw(string Id) : IQemuArgs
{
    /// <inheritdoc />
    public IEnumerable<string> Render() => ["-device", new QemuOptionList("virtio-scsi-ccw").Add("id", Id).ToString()];
}
