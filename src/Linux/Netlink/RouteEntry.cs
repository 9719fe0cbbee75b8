namespace Sealpod.Linux.Netlink;

/// <summary>
/// A unicast route of the main table (RTM_GETROUTE). <paramref name="Destination"/> is null for the default route;
/// <paramref name="Scope"/> is 0 (universe) for routes through a gateway and 253 (link) for on-link ones.
/// <paramref name="Protocol"/> is who installed it (2 kernel, 3 boot, 4 static ...).
/// </summary>
public sealed record RouteEntry(
    AddressFamily Family,
    IPAddress? Destination,
    int DestinationPrefixLength,
    IPAddress? Gateway,
    int? OutputLinkIndex,
    IPAddress? PreferredSource,
    byte Scope,
    byte Protocol = 0)
{
    /// <summary>The kernel installed it for an address of its own (RTPROT_KERNEL); it goes when the address goes.</summary>
    public bool IsFromKernel => Protocol == 2;
}
