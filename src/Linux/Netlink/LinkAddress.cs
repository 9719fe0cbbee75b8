namespace Sealpod.Linux.Netlink;

/// <summary>An address on a link (RTM_GETADDR): IPv4 or IPv6 with its prefix length and scope (0 global, 253 link, 254 host).</summary>
public sealed record LinkAddress(int LinkIndex, IPAddress Address, int PrefixLength, byte Scope);
