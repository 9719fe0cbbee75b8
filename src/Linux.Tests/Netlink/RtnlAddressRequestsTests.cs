namespace Sealpod.Linux.Tests.Netlink;

/// <summary>
/// Golden bytes laid out by hand from the uapi structures (nlmsghdr, ifaddrmsg, rtmsg, ndmsg), matching what
/// <c>ip addr add</c>, <c>ip route add/del</c> and <c>ip neigh replace</c> send. Little-endian hosts.
/// </summary>
public sealed class RtnlAddressRequestsTests
{
    [Fact]
    public void An_IPv4_address_is_ifaddrmsg_with_local_and_address_attributes()
    {
        var bytes = RtnlAddressRequests.Address(3, add: true, 4, IPAddress.Parse("10.1.2.3"), 24).Message.ToArray();

        Assert.Equal(
            "28000000" + "1400" + "0506" + "03000000" + "00000000"
            + "02180000" + "04000000"
            + "08000200" + "0a010203"
            + "08000100" + "0a010203",
            Convert.ToHexStringLower(bytes));
    }

    [Fact]
    public void Deleting_an_IPv6_address_is_RTM_DELADDR_without_create_flags()
    {
        var bytes = RtnlAddressRequests.Address(1, add: false, 2, IPAddress.Parse("fd00::1"), 64).Message.ToArray();

        Assert.Equal(
            "40000000" + "1500" + "0500" + "01000000" + "00000000"
            + "0a400000" + "02000000"
            + "14000200" + "fd000000000000000000000000000001"
            + "14000100" + "fd000000000000000000000000000001",
            Convert.ToHexStringLower(bytes));
    }

    [Fact]
    public void A_default_route_via_a_gateway_is_rtmsg_main_boot_universe_unicast_with_gateway_and_device()
    {
        var route = new RouteEntry(AddressFamily.InterNetwork, null, 0, IPAddress.Parse("10.0.0.1"), 5, null, 0);

        var bytes = RtnlAddressRequests.Route(2, add: true, route).Message.ToArray();

        Assert.Equal(
            "2c000000" + "1800" + "0506" + "02000000" + "00000000"
            + "02000000" + "fe030001" + "00000000"
            + "08000500" + "0a000001"
            + "08000400" + "05000000",
            Convert.ToHexStringLower(bytes));
    }

    [Fact]
    public void A_link_route_with_a_source_carries_destination_scope_link_and_prefsrc()
    {
        var route = new RouteEntry(AddressFamily.InterNetwork, IPAddress.Parse("10.0.0.0"), 24, null, 5, IPAddress.Parse("10.0.0.7"), 253);

        var bytes = RtnlAddressRequests.Route(2, add: true, route).Message.ToArray();

        Assert.Equal(
            "34000000" + "1800" + "0506" + "02000000" + "00000000"
            + "02180000" + "fe03fd01" + "00000000"
            + "08000100" + "0a000000"
            + "08000700" + "0a000007"
            + "08000400" + "05000000",
            Convert.ToHexStringLower(bytes));
    }

    [Fact]
    public void Deleting_a_route_asks_scope_nowhere_and_no_protocol()
    {
        var route = new RouteEntry(AddressFamily.InterNetworkV6, IPAddress.Parse("fd00::"), 64, null, 3, null, 0);

        var bytes = RtnlAddressRequests.Route(4, add: false, route).Message.ToArray();

        Assert.Equal(
            "38000000" + "1900" + "0500" + "04000000" + "00000000"
            + "0a400000" + "fe00ff01" + "00000000"
            + "14000100" + "fd000000000000000000000000000000"
            + "08000400" + "03000000",
            Convert.ToHexStringLower(bytes));
    }

    [Fact]
    public void A_permanent_neighbour_is_ndmsg_with_state_80_and_dst_and_lladdr_under_create_replace()
    {
        var neighbour = new Neighbour(6, IPAddress.Parse("10.0.0.9"), PhysicalAddress.Parse("02-00-00-00-00-09"), 0x80);

        var bytes = RtnlAddressRequests.Neighbour(8, neighbour).Message.ToArray();

        Assert.Equal(
            "30000000" + "1c00" + "0505" + "08000000" + "00000000"
            + "02000000" + "06000000" + "80000000"
            + "08000100" + "0a000009"
            + "0a000200" + "0200000000090000",
            Convert.ToHexStringLower(bytes));
    }

    [Fact]
    public void A_rename_is_a_link_change_with_IFLA_IFNAME()
    {
        var bytes = RtnlRequests.SetLink(1, 4, 0, 0, name: "eth0").Message.ToArray();

        Assert.Equal(
            "2c000000" + "1000" + "0500" + "01000000" + "00000000"
            + "00000000" + "04000000" + "00000000" + "00000000"
            + "09000300" + "6574683000000000",
            Convert.ToHexStringLower(bytes));
    }
}
