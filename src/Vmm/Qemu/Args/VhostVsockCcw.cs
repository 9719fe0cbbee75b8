namespace Sealpod.Vmm.Qemu.Args;

/// <summary><c>-device vhost-vsock-ccw,id=ID,guest-cid=N</c>: the agent transport on s390x.</summary>
public sealed record VhostVsockCcw(string Id, uint GuestCid) : IQemuArgs
{
    /// <inheritdoc />
    public IEnumerable<string> Render() =>
        ["-device", new QemuOptionList("vhost-vsock-ccw").Add("id", Id).Add("guest-cid", GuestCid.ToString(CultureInfo.InvariantCulture)).ToString()];
}
