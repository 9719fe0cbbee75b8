using System.Net.NetworkInformation;
using Sealpod.AgentClient.Model;

namespace Sealpod.Runtime.Tests.Network;

/// <summary>NIC and agent planning from a scan as CNI leaves it (two interfaces, IPv4 and IPv6, a static neighbour).</summary>
public sealed class GuestNetworkPlanTests
{
    private static readonly PodNetwork Scanned = new(
        [
            new PodInterface("eth0", 2, PhysicalAddress.Parse("0A-58-0A-58-00-07"), 1450, "veth", [new PodAddress(IPAddress.Parse("10.88.0.7"), 16), new PodAddress(IPAddress.Parse("fd00:88::7"), 64)]),
            new PodInterface("net1", 3, PhysicalAddress.Parse("02-42-AC-11-00-02"), 9000, "veth", [new PodAddress(IPAddress.Parse("192.168.5.2"), 24)]),
        ],
        [
            new PodRoute(AddressFamily.InterNetwork, null, 0, IPAddress.Parse("10.88.0.1"), "eth0", null, 0),
            new PodRoute(AddressFamily.InterNetwork, IPAddress.Parse("10.88.0.0"), 16, null, "eth0", IPAddress.Parse("10.88.0.7"), 253),
            new PodRoute(AddressFamily.InterNetworkV6, null, 0, IPAddress.Parse("fd00:88::1"), "eth0", null, 0),
            new PodRoute(AddressFamily.InterNetwork, IPAddress.Parse("192.168.5.0"), 24, null, "net1", null, 253),
        ],
        [new PodNeighbour(IPAddress.Parse("10.88.0.1"), PhysicalAddress.Parse("02-42-AC-11-00-01"), "eth0")]);

    [Fact]
    public void Each_pod_interface_becomes_a_guest_interface_found_by_its_mac_with_its_name_mtu_and_addresses()
    {
        var plan = GuestNetworkPlan.From(Scanned);

        Assert.Equal(["eth0", "net1"], plan.Interfaces.Select(i => i.Name));
        Assert.Equal(PhysicalAddress.Parse("0A-58-0A-58-00-07"), plan.Interfaces[0].HardwareAddress);
        Assert.Equal([1450, 9000], plan.Interfaces.Select(i => i.Mtu));
        Assert.Equal(["10.88.0.7/16", "fd00:88::7/64"], plan.Interfaces[0].Addresses.Select(a => a.ToString()));
        Assert.True(plan.HasIPv6);
    }

    [Fact]
    public void On_link_routes_come_before_gateway_routes_and_keep_family_scope_and_source()
    {
        var plan = GuestNetworkPlan.From(Scanned);

        Assert.Equal(
            ["10.88.0.0/16 dev eth0 Link src 10.88.0.7", "192.168.5.0/24 dev net1 Link src ", "default via 10.88.0.1 dev eth0 Universe src ", "default via fd00:88::1 dev eth0 Universe src "],
            plan.Routes.Select(r => $"{(r.Destination?.ToString() ?? "default")}{(r.Gateway is null ? "" : " via " + r.Gateway)} dev {r.Device} {r.Scope} src {r.Source}"));
        Assert.Equal(AddressFamily.InterNetworkV6, plan.Routes[3].Family);
    }

    [Fact]
    public void Static_neighbours_pass_through()
    {
        var plan = GuestNetworkPlan.From(Scanned);

        Assert.Equal([new GuestNeighbour(IPAddress.Parse("10.88.0.1"), "eth0", PhysicalAddress.Parse("02-42-AC-11-00-01"))], plan.Neighbours);
    }

    [Fact]
    public void An_empty_network_plans_nothing()
    {
        var plan = GuestNetworkPlan.From(PodNetwork.Empty);

        Assert.Empty(plan.Interfaces);
        Assert.Empty(plan.Routes);
        Assert.Empty(plan.Neighbours);
        Assert.False(plan.HasIPv6);
    }
}
