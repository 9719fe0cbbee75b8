namespace Sealpod.Vmm.Qemu.Args;

/// <summary>
/// <c>-netdev tap,id=ID,fd=N[,vhost=on]</c>: a tap whose queue descriptor QEMU inherits at number <paramref name="Fd"/>
/// (QEMU never opens /dev/net/tun nor enters the pod's namespace). vhost=on lets the kernel's vhost-net move the frames.
/// </summary>
public sealed record TapNetdev(string Id, int Fd, bool Vhost) : IQemuArgs
{
    /// <inheritdoc />
    public IEnumerable<string> Render() =>
    [
        "-netdev",
        new QemuOptionList("tap")
            .Add("id", Id)
            .Add("fd", Fd)
            .Add("vhost", Vhost ? (bool?)true : null)
            .ToString(),
    ];
}
