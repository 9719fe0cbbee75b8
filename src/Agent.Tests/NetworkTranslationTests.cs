using Types = Sealpod.Protos.Kata.Types;

namespace Sealpod.Agent.Tests;

/// <summary>The Kata network messages' malformed fields are refused by name, before anything touches the kernel.</summary>
public sealed class NetworkTranslationTests
{
    [Theory]
    [InlineData("02:00:00:00:00", "10.0.0.1", "24", "UpdateInterfaceRequest interface.hwAddr: '02:00:00:00:00' is not a MAC address (xx:xx:xx:xx:xx:xx)")]
    [InlineData("02:00:00:00:00:01", "10.0.0.300", "24", "UpdateInterfaceRequest interface.IPAddresses[0].address: '10.0.0.300' is not an IPv4 or IPv6 address")]
    [InlineData("02:00:00:00:00:01", "10.0.0.1", "33", "UpdateInterfaceRequest interface.IPAddresses[0].mask: '33' is not a prefix length (0-32)")]
    [InlineData("02:00:00:00:00:01", "fd00::1", "255.255.255.0", "UpdateInterfaceRequest interface.IPAddresses[0].mask: '255.255.255.0' is not a prefix length (0-128)")]
    public void A_malformed_interface_names_its_field(string mac, string address, string mask, string expected)
    {
        var wire = new Types.Interface { HwAddr = mac, Name = "eth0" };
        wire.IPAddresses.Add(new Types.IPAddress { Address = address, Mask = mask });

        Assert.Equal(expected, Assert.Throws<InvalidArgumentException>(() => NetworkTranslation.ToDomain(wire)).Message);
    }

    [Fact]
    public void A_route_mixing_families_or_naming_no_way_out_is_refused_by_field()
    {
        var mixed = Assert.Throws<InvalidArgumentException>(() => NetworkTranslation.ToDomain([new Types.Route { Dest = "10.0.0.0/8", Gateway = "fd00::1", Device = "eth0" }]));
        var nowhere = Assert.Throws<InvalidArgumentException>(() => NetworkTranslation.ToDomain([new Types.Route { Dest = "10.0.0.0/8" }]));

        Assert.Equal("UpdateRoutesRequest routes.Routes[0].gateway: fd00::1 is not of the route's family (IPv4)", mixed.Message);
        Assert.Equal("UpdateRoutesRequest routes.Routes[0]: names neither a device nor a gateway", nowhere.Message);
    }

    [Fact]
    public void A_neighbour_without_a_hardware_address_names_lladdr()
    {
        var error = Assert.Throws<InvalidArgumentException>(() => NetworkTranslation.ToDomain([new Types.ARPNeighbor { ToIPAddress = new Types.IPAddress { Address = "10.0.0.9" }, Device = "eth0" }]));

        Assert.Equal("AddARPNeighborsRequest neighbors.ARPNeighbors[0].lladdr: '' is not a MAC address (xx:xx:xx:xx:xx:xx)", error.Message);
    }

    [Fact]
    public void A_default_route_takes_its_family_from_the_message_when_it_has_no_addresses()
    {
        var route = Assert.Single(NetworkTranslation.ToDomain([new Types.Route { Dest = "default", Device = "eth0", Family = Types.IPFamily.V6 }]));

        Assert.Equal(System.Net.Sockets.AddressFamily.InterNetworkV6, route.Family);
        Assert.Null(route.Destination);
    }
}
