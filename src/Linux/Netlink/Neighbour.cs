namespace Sealpod.Linux.Netlink;

/// <summary>A neighbour entry (RTM_GETNEIGH): the IP address, its hardware address and its NUD state bits.</summary>
public sealed record Neighbour(int LinkIndex, IPAddress Address, PhysicalAddress? HardwareAddress, ushort State)
{
    public bool IsPermanent => (State & Rtnl.NUD_PERMANENT) != 0;
}
