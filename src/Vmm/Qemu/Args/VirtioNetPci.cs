namespace Sealpod.Vmm.Qemu.Args;

/// <summary>
/// <c>-device virtio-net-pci,netdev=NETDEV,mac=MAC,id=ID,romfile=</c>: the guest NIC. No option ROM (Kata's
/// <c>romfile=</c>): the guest boots from its kernel, never over the network, and QEMU then needs no iPXE files.
/// </summary>
public sealed record VirtioNetPci(string Id, string Netdev, string Mac) : IQemuArgs
{
    /// <inheritdoc />
    public IEnumerable<string> Render() =>
    [
        "-device",
        new QemuOptionList("virtio-net-pci")
            .Add("netdev", Netdev)
            .Add("mac", Mac)
            .Add("id", Id)
            .Add("romfile", string.Empty)
            .ToString(),
    ];
}
