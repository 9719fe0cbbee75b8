using System.Text.Json;

namespace Sealpod.Linux.Tests.Netlink;

/// <summary>The add/delete operations against a real kernel, in a namespace of the test's own, checked with iproute2.</summary>
[Trait("Category", "Root")]
public sealed class AddressRouteNeighbourTests
{
    [Fact]
    public async Task Addresses_routes_and_a_neighbour_added_over_netlink_are_what_ip_reports_and_deletes_remove_them()
    {
        using var space = new TestNamespace();
        space.IpIn("link", "add", "d0", "type", "veth", "peer", "name", "d0peer");
        space.IpIn("link", "set", "d0peer", "up");

        await RouteNetlinkIn.RunAsync(space.Path, netlink =>
        {
            var link = netlink.FindLink("d0")!;
            netlink.SetName(link.Index, "renamed0");
            netlink.SetUp(link.Index, true);
            netlink.AddAddress(link.Index, IPAddress.Parse("10.9.0.2"), 24);
            netlink.AddAddress(link.Index, IPAddress.Parse("fd09::2"), 64);
            netlink.AddRoute(new RouteEntry(AddressFamily.InterNetwork, IPAddress.Parse("10.10.0.0"), 16, IPAddress.Parse("10.9.0.1"), link.Index, null, 0));
            netlink.AddRoute(new RouteEntry(AddressFamily.InterNetworkV6, null, 0, IPAddress.Parse("fd09::1"), link.Index, null, 0));
            netlink.ReplaceNeighbour(new Neighbour(link.Index, IPAddress.Parse("10.9.0.5"), PhysicalAddress.Parse("02-00-00-00-00-05"), 0x80));
        });

        var addresses = space.IpIn("-j", "addr", "show", "dev", "renamed0");
        Assert.Contains("\"local\":\"10.9.0.2\",\"prefixlen\":24", addresses, StringComparison.Ordinal);
        Assert.Contains("\"local\":\"fd09::2\",\"prefixlen\":64", addresses, StringComparison.Ordinal);
        Assert.Contains("10.10.0.0/16 via 10.9.0.1 dev renamed0", space.IpIn("route"), StringComparison.Ordinal);
        Assert.Contains("default via fd09::1 dev renamed0", space.IpIn("-6", "route"), StringComparison.Ordinal);
        Assert.Contains("10.9.0.5 dev renamed0 lladdr 02:00:00:00:00:05 PERMANENT", space.IpIn("neigh"), StringComparison.Ordinal);

        await RouteNetlinkIn.RunAsync(space.Path, netlink =>
        {
            var link = netlink.FindLink("renamed0")!;
            netlink.DeleteRoute(new RouteEntry(AddressFamily.InterNetwork, IPAddress.Parse("10.10.0.0"), 16, null, link.Index, null, 0));
            netlink.DeleteAddress(link.Index, IPAddress.Parse("fd09::2"), 64);
        });

        Assert.DoesNotContain("10.10.0.0/16", space.IpIn("route"), StringComparison.Ordinal);
        Assert.DoesNotContain("fd09::2", space.IpIn("-j", "addr", "show", "dev", "renamed0"), StringComparison.Ordinal);
    }
}
