namespace Sealpod.Vmm.Qemu.Args;

/// <summary><c>-device virtio-serial-ccw,id=ID</c>: the virtserialport controller on s390x.</summary>
public sealed record VirtioSerialCcw(string Id) : IQemuArgs
{
    /// <inheritdoc />
    public IEnumerable<string> Render() => ["-device", new QemuOptionList("virtio-serial-ccw").Add("id", Id).ToString()];
}
