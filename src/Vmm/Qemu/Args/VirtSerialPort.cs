namespace Sealpod.Vmm.Qemu.Args;

/// <summary>
/// <c>-device virtserialport,bus=CTRL.0,chardev=ID,name=NAME,id=ID</c>: a named port the guest sees as
/// /dev/virtio-ports/NAME; the agent transport when vsock is unavailable.
/// </summary>
public sealed record VirtSerialPort(string Id, string ControllerId, string ChardevId, string Name) : IQemuArgs
{
    /// <inheritdoc />
    public IEnumerable<string> Render() =>
    [
        "-device",
        new QemuOptionList("virtserialport")
            .Add("bus", ControllerId + ".0")
            .Add("chardev", ChardevId)
            .Add("name", Name)
            .Add("id", Id)
            .ToString(),
    ];
}
