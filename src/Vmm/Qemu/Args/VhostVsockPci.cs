namespace Sealpod.Vmm.Qemu.Args;

/// <summary><c>-device vhost-vsock-pci,id=ID,guest-cid=N</c>: the production agent transport (vsock port 1024).</summary>
public sealed record VhostVsockPci(string Id, uint GuestCid) : IQemuArgs
{
    /// <inheritdoc />
    public IEnumerable<string> Render() =>
    [
        "-device",
        new QemuOptionList("vhost-vsock-pci")
            .Add("id", Id)
            .Add("guest-cid", GuestCid.ToString(CultureInfo.InvariantCulture))
            .ToString(),
    ];
}
