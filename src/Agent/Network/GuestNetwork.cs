using Sealpod.Linux.Netlink;

namespace Sealpod.Agent.Network;

/// <summary>
/// Configures the guest's links, addresses, routes and neighbours over rtnetlink in the calling thread's network
/// namespace (the guest's own, for the agent), as Kata's agent does before the sandbox starts: an interface is
/// found by its hardware address, taken down, stripped of its addresses, given the requested ones, renamed, given
/// its MTU and brought up; the routes replace every route not installed by the kernel for an address; neighbours
/// are added or replaced.
/// </summary>
internal sealed class GuestNetwork
{
    public void UpdateInterface(GuestInterface wanted)
    {
        ArgumentNullException.ThrowIfNull(wanted);
        using var netlink = RouteNetlink.Open();
        var link = netlink.ListLinks().FirstOrDefault(candidate => wanted.HardwareAddress.Equals(candidate.HardwareAddress))
            ?? throw new NotFoundException($"UpdateInterface: no guest link has the hwAddr {Format(wanted.HardwareAddress)}");

        if (link.IsUp)
        {
            netlink.SetUp(link.Index, false);
        }

        foreach (var address in netlink.ListAddresses().Where(address => address.LinkIndex == link.Index))
        {
            netlink.DeleteAddress(link.Index, address.Address, address.PrefixLength);
        }

        foreach (var address in wanted.Addresses)
        {
            netlink.AddAddress(link.Index, address.Address, address.PrefixLength);
        }

        if (wanted.Name is { } name && name != link.Name)
        {
            netlink.SetName(link.Index, name);
        }

        if (wanted.Mtu is { } mtu && mtu != link.Mtu)
        {
            netlink.SetMtu(link.Index, mtu);
        }

        netlink.SetUp(link.Index, true);
    }

    /// <summary>
    /// Removes every route the kernel did not install itself, then adds <paramref name="routes"/>: on-link ones (no
    /// gateway) first, so the gateways of the others are reachable when they are added.
    /// </summary>
    public void UpdateRoutes(IReadOnlyList<GuestRoute> routes)
    {
        ArgumentNullException.ThrowIfNull(routes);
        using var netlink = RouteNetlink.Open();
        var links = netlink.ListLinks();
        var resolved = routes.Select((route, index) => ToEntry(route, index, links)).ToList();

        foreach (var existing in netlink.ListRoutes().Where(route => !route.IsFromKernel))
        {
            netlink.DeleteRoute(existing);
        }

        foreach (var route in resolved.OrderBy(route => route.Gateway is null ? 0 : 1))
        {
            netlink.AddRoute(route);
        }
    }

    public void AddNeighbours(IReadOnlyList<GuestNeighbour> neighbours)
    {
        ArgumentNullException.ThrowIfNull(neighbours);
        using var netlink = RouteNetlink.Open();
        var links = netlink.ListLinks();
        for (var i = 0; i < neighbours.Count; i++)
        {
            var neighbour = neighbours[i];
            var link = links.FirstOrDefault(candidate => candidate.Name == neighbour.Device)
                ?? throw new NotFoundException($"AddARPNeighbors: neighbors.ARPNeighbors[{i}].device: no guest link is named '{neighbour.Device}'");
            netlink.ReplaceNeighbour(new Neighbour(link.Index, neighbour.Address, neighbour.HardwareAddress, neighbour.State));
        }
    }

    private static RouteEntry ToEntry(GuestRoute route, int index, IReadOnlyList<NetworkLink> links)
    {
        int? linkIndex = null;
        if (route.Device is { } device)
        {
            linkIndex = links.FirstOrDefault(candidate => candidate.Name == device)?.Index
                ?? throw new NotFoundException($"UpdateRoutes: routes.Routes[{index}].device: no guest link is named '{device}'");
        }

        return new RouteEntry(
            route.Family,
            route.Destination?.Address,
            route.Destination?.PrefixLength ?? 0,
            route.Gateway,
            linkIndex,
            route.Source,
            route.Scope);
    }

    private static string Format(System.Net.NetworkInformation.PhysicalAddress address) =>
        string.Join(':', address.GetAddressBytes().Select(octet => octet.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)));
}
