namespace Sealpod.Linux.Netlink;

/// <summary>
/// One network interface as RTM_GETLINK reports it. <paramref name="Kind"/> is IFLA_INFO_KIND ("veth", "tun",
/// "bridge" ...), null for devices without link info (loopback, physical NICs).
/// </summary>
public sealed record NetworkLink(int Index, string Name, PhysicalAddress? HardwareAddress, int Mtu, string? Kind, uint Flags)
{
    public bool IsUp => (Flags & Rtnl.IFF_UP) != 0;

    public bool IsLoopback => (Flags & 0x8) != 0;
}
