namespace Sealpod.Runtime.Network;

/// <summary>
/// What a scanned pod network becomes on both sides of the VM: the guest NICs QEMU gets (one per pod interface, its
/// tap's descriptor, the interface's MAC and MTU) and what the agent is told before CreateSandbox (UpdateInterface by
/// MAC with the interface's name and addresses, UpdateRoutes, AddARPNeighbors), as Kata's network_linux.go does.
/// Pure: the same network always gives the same plan.
/// </summary>
public sealed record GuestNetworkPlan(IReadOnlyList<GuestInterface> Interfaces, IReadOnlyList<GuestRoute> Routes, IReadOnlyList<GuestNeighbour> Neighbours)
{
    public static GuestNetworkPlan From(PodNetwork network)
    {
        ArgumentNullException.ThrowIfNull(network);
        var interfaces = network.Interfaces
            .Select(pod => new GuestInterface
            {
                Name = pod.Name,
                HardwareAddress = pod.HardwareAddress,
                Mtu = pod.Mtu,
                Addresses = pod.Addresses.Select(address => new IpPrefix(address.Address, address.PrefixLength)).ToList(),
            })
            .ToList();

        // On-link routes first: a gateway route is refused by the kernel until its gateway is reachable on a link.
        var routes = network.Routes
            .OrderBy(route => route.Gateway is null ? 0 : 1)
            .Select(route => new GuestRoute
            {
                Family = route.Family,
                Destination = route.Destination is null ? null : new IpPrefix(route.Destination, route.PrefixLength),
                Gateway = route.Gateway,
                Device = route.Device,
                Source = route.Source,
                Scope = route.Scope switch
                {
                    (byte)RouteScope.Link => RouteScope.Link,
                    (byte)RouteScope.Host => RouteScope.Host,
                    _ => RouteScope.Universe,
                },
            })
            .ToList();

        var neighbours = network.Neighbours
            .Select(neighbour => new GuestNeighbour(neighbour.Address, neighbour.Device, neighbour.HardwareAddress))
            .ToList();
        return new GuestNetworkPlan(interfaces, routes, neighbours);
    }

    /// <summary>The guest NICs for <paramref name="attached"/>'s endpoints, in the order the guest will name them.</summary>
    public static IReadOnlyList<VmNetworkInterface> Nics(AttachedPodNetwork attached, bool vhost)
    {
        ArgumentNullException.ThrowIfNull(attached);
        return attached.Endpoints
            .Select((endpoint, index) => new VmNetworkInterface
            {
                Id = $"net{index}",
                TapName = endpoint.Tap.Name,
                TapQueues = [endpoint.Tap.Handle],
                MacAddress = endpoint.Interface.HardwareAddress,
                Mtu = endpoint.Interface.Mtu,
                Vhost = vhost,
            })
            .ToList();
    }

    /// <summary>Whether any address or route is IPv6 (for logs).</summary>
    public bool HasIPv6 => Interfaces.Any(i => i.Addresses.Any(a => a.Address.AddressFamily == AddressFamily.InterNetworkV6)) || Routes.Any(r => r.Family == AddressFamily.InterNetworkV6);
}
