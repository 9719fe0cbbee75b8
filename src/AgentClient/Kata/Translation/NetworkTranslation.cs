using System.Globalization;
using Types = Sealpod.Protos.Kata.Types;
using Wire = Sealpod.Protos.Kata.Agent;

namespace Sealpod.AgentClient.Kata.Translation;

/// <summary>
/// The guest network records to Kata's UpdateInterface, UpdateRoutes and AddARPNeighbors messages, field for field
/// as Kata's runtime fills them: MACs lowercase with colons, masks as prefix lengths, "" for absent fields.
/// </summary>
internal static class NetworkTranslation
{
    private const int NudPermanent = 0x80;

    public static Wire.UpdateInterfaceRequest ToWire(GuestInterface wanted)
    {
        ArgumentNullException.ThrowIfNull(wanted);
        var wire = new Types.Interface
        {
            Device = wanted.Name,
            Name = wanted.Name,
            Mtu = (ulong)wanted.Mtu,
            HwAddr = Mac(wanted.HardwareAddress),
            DevicePath = wanted.DevicePath ?? "",
        };
        wire.IPAddresses.AddRange(wanted.Addresses.Select(Address));
        return new Wire.UpdateInterfaceRequest { Interface = wire };
    }

    public static Wire.UpdateRoutesRequest ToWire(IReadOnlyList<GuestRoute> routes)
    {
        ArgumentNullException.ThrowIfNull(routes);
        var list = new Wire.Routes();
        list.Routes_.AddRange(routes.Select(route => new Types.Route
        {
            Dest = route.Destination?.ToString() ?? "",
            Gateway = route.Gateway?.ToString() ?? "",
            Device = route.Device ?? "",
            Source = route.Source?.ToString() ?? "",
            Scope = (uint)route.Scope,
            Family = Family(route.Family),
        }));
        return new Wire.UpdateRoutesRequest { Routes = list };
    }

    public static Wire.AddARPNeighborsRequest ToWire(IReadOnlyList<GuestNeighbour> neighbours)
    {
        ArgumentNullException.ThrowIfNull(neighbours);
        var list = new Wire.ARPNeighbors();
        list.ARPNeighbors_.AddRange(neighbours.Select(neighbour => new Types.ARPNeighbor
        {
            ToIPAddress = new Types.IPAddress
            {
                Family = Family(neighbour.Address.AddressFamily),
                Address = neighbour.Address.ToString(),
                Mask = "",
            },
            Device = neighbour.Device,
            Lladdr = Mac(neighbour.HardwareAddress),
            State = NudPermanent,
        }));
        return new Wire.AddARPNeighborsRequest { Neighbors = list };
    }

    private static Types.IPAddress Address(IpPrefix prefix) => new()
    {
        Family = Family(prefix.Address.AddressFamily),
        Address = prefix.Address.ToString(),
        Mask = prefix.PrefixLength.ToString(CultureInfo.InvariantCulture),
    };

    private static Types.IPFamily Family(AddressFamily family) => family switch
    {
        AddressFamily.InterNetwork => Types.IPFamily.V4,
        AddressFamily.InterNetworkV6 => Types.IPFamily.V6,
        _ => throw new ArgumentException($"address family {family} is neither IPv4 nor IPv6", nameof(family)),
    };

    private static string Mac(PhysicalAddress address) =>
        string.Join(':', address.GetAddressBytes().Select(octet => octet.ToString("x2", CultureInfo.InvariantCulture)));
}
