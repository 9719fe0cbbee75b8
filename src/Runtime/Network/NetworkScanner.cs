namespace Sealpod.Runtime.Network;

/// <summary>
/// Reads a pod network namespace into a <see cref="PodNetwork"/>, as Kata's scan does: every interface but the
/// loopback and taps (a tap is what Sealpod adds, never what CNI made), each with its addresses; the main
/// table's routes through them but the kernel's own; their permanent neighbours. IPv6 link-local addresses and the fe80::/64 route
/// stay behind: the guest's kernel makes its own from the same MAC.
/// </summary>
public static class NetworkScanner
{
    /// <summary>Scans the namespace <paramref name="netlink"/> was opened in.</summary>
    public static PodNetwork Scan(RouteNetlink netlink)
    {
        ArgumentNullException.ThrowIfNull(netlink);
        var links = netlink.ListLinks()
            .Where(link => !link.IsLoopback && link.Kind != "tun" && link.HardwareAddress is { } mac && mac.GetAddressBytes().Length == 6)
            .ToList();
        var names = links.ToDictionary(link => link.Index, link => link.Name);
        var addresses = netlink.ListAddresses();

        var interfaces = links
            .Select(link => new PodInterface(
                link.Name,
                link.Index,
                link.HardwareAddress!,
                link.Mtu,
                link.Kind,
                addresses
                    .Where(address => address.LinkIndex == link.Index && !address.Address.IsIPv6LinkLocal)
                    .Select(address => new PodAddress(address.Address, address.PrefixLength))
                    .ToList()))
            .ToList();

        var routes = netlink.ListRoutes()
            // The kernel's own subnet routes are left out: the guest's kernel makes the same ones when UpdateInterface sets
            // the addresses, and asking for them again is refused (EEXIST).
            .Where(route => route.OutputLinkIndex is { } index && names.ContainsKey(index) && !route.IsFromKernel && !(route.Destination?.IsIPv6LinkLocal ?? false))
            .Select(route => new PodRoute(route.Family, route.Destination, route.DestinationPrefixLength, route.Gateway, names[route.OutputLinkIndex!.Value], route.PreferredSource, route.Scope))
            .ToList();

        var neighbours = netlink.ListNeighbours()
            .Where(neighbour => neighbour.IsPermanent && neighbour.HardwareAddress is not null && names.ContainsKey(neighbour.LinkIndex))
            .Select(neighbour => new PodNeighbour(neighbour.Address, neighbour.HardwareAddress!, names[neighbour.LinkIndex]))
            .ToList();

        return new PodNetwork(interfaces, routes, neighbours);
    }
}
