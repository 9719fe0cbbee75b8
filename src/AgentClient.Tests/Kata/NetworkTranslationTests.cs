using System.Net;
using System.Net.NetworkInformation;

namespace Sealpod.AgentClient.Tests.Kata;

/// <summary>
/// The network requests, as golden protobuf bytes encoded by hand from Kata's agent.proto and types.proto field
/// numbers (so a renumbered or renamed field, or a different MAC or mask spelling, shows here).
/// </summary>
public sealed class NetworkTranslationTests
{
    [Fact]
    public void UpdateInterface_carries_name_as_device_and_name_addresses_with_prefix_masks_mtu_and_a_lowercase_MAC()
    {
        var wire = NetworkTranslation.ToWire(new GuestInterface
        {
            Name = "eth0",
            HardwareAddress = PhysicalAddress.Parse("02-00-00-00-00-0A"),
            Mtu = 1500,
            Addresses = [new IpPrefix(IPAddress.Parse("10.0.0.2"), 24), new IpPrefix(IPAddress.Parse("fd00::2"), 64)],
        });

        Assert.Equal(
            "0a43"
            + "0a04" + "65746830"                                            // device "eth0"
            + "1204" + "65746830"                                            // name "eth0"
            + "1a0e" + "1208" + "31302e302e302e32" + "1a02" + "3234"         // IPAddresses[0]: v4 (default), "10.0.0.2", "24"
            + "1a0f" + "0801" + "1207" + "666430303a3a32" + "1a02" + "3634"  // IPAddresses[1]: v6, "fd00::2", "64"
            + "20dc0b"                                                       // mtu 1500
            + "2a11" + "30323a30303a30303a30303a30303a3061",                 // hwAddr "02:00:00:00:00:0a"
            Convert.ToHexStringLower(wire.ToByteArray()));
    }

    [Fact]
    public void UpdateRoutes_carries_a_default_v4_route_and_a_v6_link_route_with_scope_and_family()
    {
        var wire = NetworkTranslation.ToWire(
        [
            new GuestRoute { Family = AddressFamily.InterNetwork, Gateway = IPAddress.Parse("10.0.0.1"), Device = "eth0" },
            new GuestRoute { Family = AddressFamily.InterNetworkV6, Destination = new IpPrefix(IPAddress.Parse("fd00::"), 64), Device = "eth0", Scope = RouteScope.Link },
        ]);

        Assert.Equal(
            "0a2a"
            + "0a10" + "1208" + "31302e302e302e31" + "1a04" + "65746830"                          // gateway, device
            + "0a16" + "0a09" + "666430303a3a2f3634" + "1a04" + "65746830" + "28fd01" + "3001",  // dest, device, scope 253, family v6
            Convert.ToHexStringLower(wire.ToByteArray()));
    }

    [Fact]
    public void AddARPNeighbors_carries_the_address_device_MAC_and_the_permanent_state()
    {
        var wire = NetworkTranslation.ToWire([new GuestNeighbour(IPAddress.Parse("10.0.0.9"), "eth0", PhysicalAddress.Parse("02-00-00-00-00-09"))]);

        Assert.Equal(
            "0a2a" + "0a28"
            + "0a0a" + "1208" + "31302e302e302e39"                   // toIPAddress { address }
            + "1204" + "65746830"                                    // device
            + "1a11" + "30323a30303a30303a30303a30303a3039"          // lladdr
            + "208001",                                              // state NUD_PERMANENT
            Convert.ToHexStringLower(wire.ToByteArray()));
    }
}
