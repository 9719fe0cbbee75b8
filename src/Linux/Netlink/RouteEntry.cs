using System.Net;
using System.Net.Sockets;

namespace Sealpod.Linux.Netlink;

/// <summary>
/// A unicast route of the main table (RTM_GETROUTE). <paramref name="Destination"/> is null for the default route;
/// <paramref name="Scope"/> is 0 (universe) for routes through a gateway and 253 (link) for on-link ones.
/// </summary>
public sealed record RouteEntry(
    AddressFamily Family,
    IPAddress? Destination,
    int DestinationPrefixLength,
    IPAddress? Gateway,
    int? OutputLinkIndex,
    IPAddress? PreferredSource,
    byte Scope);
