namespace Sealpod.Linux.Tests.Netlink;

[Trait("Category", "Root")]
public sealed class ScanTests : IDisposable
{
    private readonly TestNamespace _namespace = new();

    public ScanTests()
    {
        // xunit does not dispose a test class whose constructor threw: clean up here then.
        try
        {
            // What a CNI plugin leaves: a veth with the pod's MAC, MTU, addresses, routes and a static neighbour.
            _namespace.IpIn("link", "add", "eth0", "mtu", "1400", "address", "02:42:ac:11:00:07", "type", "veth", "peer", "name", "peer0");
            _namespace.IpIn("link", "set", "eth0", "up");
            _namespace.IpIn("link", "set", "peer0", "up");
            _namespace.IpIn("addr", "add", "10.77.0.7/24", "dev", "eth0");
            _namespace.IpIn("addr", "add", "fd00:77::7/64", "dev", "eth0", "nodad");
            _namespace.IpIn("route", "add", "default", "via", "10.77.0.1", "dev", "eth0");
            _namespace.IpIn("route", "add", "10.88.0.0/16", "via", "10.77.0.1", "dev", "eth0");
            _namespace.IpIn("-6", "route", "add", "default", "via", "fd00:77::1", "dev", "eth0");
            _namespace.IpIn("neigh", "add", "10.77.0.1", "lladdr", "02:42:ac:11:00:01", "dev", "eth0", "nud", "permanent");
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public void Dispose() => _namespace.Dispose();

    [Fact]
    public async Task Links_carry_the_veths_name_kind_MAC_MTU_and_state()
    {
        var links = await RouteNetlinkIn.RunAsync(_namespace.Path, netlink =>
        {
            return netlink.ListLinks();
        });

        Assert.Equal(["eth0", "lo", "peer0"], links.Select(link => link.Name).Order(StringComparer.Ordinal));
        var eth0 = Assert.Single(links, link => link.Name == "eth0");
        Assert.Equal("veth", eth0.Kind);
        Assert.Equal(PhysicalAddress.Parse("02-42-AC-11-00-07"), eth0.HardwareAddress);
        Assert.Equal(1400, eth0.Mtu);
        Assert.True(eth0.IsUp);
        Assert.Equal(int.Parse(_namespace.IpIn("-o", "link", "show", "eth0").Split(':')[0], System.Globalization.CultureInfo.InvariantCulture), eth0.Index);
        var lo = Assert.Single(links, link => link.Name == "lo");
        Assert.True(lo.IsLoopback);
        Assert.Null(lo.Kind);
    }

    [Fact]
    public async Task Addresses_routes_and_permanent_neighbours_are_found_for_both_families()
    {
        var (links, addresses, routes, neighbours) = await RouteNetlinkIn.RunAsync(_namespace.Path, netlink =>
        {
            return (netlink.ListLinks(), netlink.ListAddresses(), netlink.ListRoutes(), netlink.ListNeighbours());
        });
        var eth0 = links.Single(link => link.Name == "eth0").Index;

        Assert.Contains(new LinkAddress(eth0, IPAddress.Parse("10.77.0.7"), 24, 0), addresses);
        Assert.Contains(new LinkAddress(eth0, IPAddress.Parse("fd00:77::7"), 64, 0), addresses);
        Assert.Contains(addresses, address => address.LinkIndex == eth0 && address.Address.IsIPv6LinkLocal && address.Scope == 253);

        Assert.Contains(new RouteEntry(AddressFamily.InterNetwork, null, 0, IPAddress.Parse("10.77.0.1"), eth0, null, 0, Protocol: 3), routes);
        Assert.Contains(new RouteEntry(AddressFamily.InterNetwork, IPAddress.Parse("10.88.0.0"), 16, IPAddress.Parse("10.77.0.1"), eth0, null, 0, Protocol: 3), routes);
        Assert.Contains(new RouteEntry(AddressFamily.InterNetwork, IPAddress.Parse("10.77.0.0"), 24, null, eth0, IPAddress.Parse("10.77.0.7"), 253, Protocol: 2), routes);
        Assert.Contains(routes, route => route.Family == AddressFamily.InterNetworkV6 && route.Destination is null
            && IPAddress.Parse("fd00:77::1").Equals(route.Gateway) && route.OutputLinkIndex == eth0);
        Assert.Contains(routes, route => IPAddress.Parse("fd00:77::").Equals(route.Destination) && route.DestinationPrefixLength == 64);
        // `ip route add` marks its routes RTPROT_BOOT (3); the kernel's own subnet route is RTPROT_KERNEL (2).
        // Local and broadcast routes live in the local table, not in the scan.
        Assert.DoesNotContain(routes, route => IPAddress.Parse("10.77.0.7").Equals(route.Destination));

        var permanent = Assert.Single(neighbours, neighbour => neighbour.IsPermanent);
        Assert.Equal(new Neighbour(eth0, IPAddress.Parse("10.77.0.1"), PhysicalAddress.Parse("02-42-AC-11-00-01"), permanent.State), permanent);
    }

    [Fact]
    public async Task Link_changes_are_seen_by_ip_and_errors_name_the_operation_and_errno()
    {
        var error = await RouteNetlinkIn.RunAsync(_namespace.Path, netlink =>
        {
            var peer = netlink.FindLink("peer0")!.Index;
            netlink.SetMtu(peer, 1300);
            netlink.SetHardwareAddress(peer, PhysicalAddress.Parse("02-00-00-00-00-99"));
            netlink.SetUp(peer, false);
            return Assert.Throws<NetlinkException>(() => netlink.SetMtu(peer, 10));
        });

        var shown = _namespace.IpIn("-o", "link", "show", "peer0");
        Assert.Contains("mtu 1300", shown);
        Assert.Contains("02:00:00:00:00:99", shown);
        Assert.DoesNotContain(",UP", shown);
        Assert.Equal(22, error.Errno);
        Assert.StartsWith("netlink set link ", error.Message);
        Assert.Contains("mtu 10: Invalid argument (errno 22)", error.Message);
    }

    [Fact]
    public async Task Deleting_a_link_removes_it_and_a_second_delete_is_ENODEV()
    {
        var error = await RouteNetlinkIn.RunAsync(_namespace.Path, netlink =>
        {
            var peer = netlink.FindLink("peer0")!.Index;
            netlink.DeleteLink(peer);
            Assert.Null(netlink.FindLink("peer0"));
            return Assert.Throws<NetlinkException>(() => netlink.DeleteLink(peer));
        });

        Assert.Equal(19, error.Errno);
        // Deleting one end of a veth pair deletes both.
        Assert.DoesNotContain("eth0", _namespace.IpIn("-o", "link", "show"));
    }

    [Fact]
    public async Task A_missing_namespace_path_is_an_error_naming_it()
    {
        var error = await Assert.ThrowsAsync<Native.SystemCallException>(() => NetworkNamespace.RunAsync("/var/run/netns/sp-no-such", () => 1));

        Assert.Equal("open network namespace /var/run/netns/sp-no-such: No such file or directory (errno 2)", error.Message);
    }
}
