using Sealpod.Agent.Network;
using Types = Sealpod.Protos.Kata.Types;

namespace Sealpod.Agent.Service.Translation;

/// <summary>
/// The Kata network messages (types.Interface, types.Route, types.ARPNeighbor) to the guest's network records;
/// a malformed field is an <see cref="InvalidArgumentException"/> naming it.
/// </summary>
internal static class NetworkTranslation
{
    private const ushort NudPermanent = 0x80;

    public static GuestInterface ToDomain(Types.Interface? wire)
    {
        const string Field = "UpdateInterfaceRequest interface";
        if (wire is null)
        {
            throw new InvalidArgumentException($"{Field}: missing");
        }

        var addresses = wire.IPAddresses.Select((address, i) => Address(address, $"{Field}.IPAddresses[{i}]")).ToList();
        if (wire.Mtu > int.MaxValue)
        {
            throw new InvalidArgumentException($"{Field}.mtu: {wire.Mtu} is out of range");
        }

        return new GuestInterface(
            HardwareAddress(wire.HwAddr, $"{Field}.hwAddr"),
            wire.Name.Length == 0 ? null : LinkName(wire.Name, $"{Field}.name"),
            wire.Mtu == 0 ? null : (int)wire.Mtu,
            addresses);
    }

    public static IReadOnlyList<GuestRoute> ToDomain(IEnumerable<Types.Route> wire) =>
        [.. wire.Select((route, i) => Route(route, $"UpdateRoutesRequest routes.Routes[{i}]"))];

    public static IReadOnlyList<GuestNeighbour> ToDomain(IEnumerable<Types.ARPNeighbor> wire) =>
        [.. wire.Select((neighbour, i) => Neighbour(neighbour, $"AddARPNeighborsRequest neighbors.ARPNeighbors[{i}]"))];

    private static GuestRoute Route(Types.Route wire, string field)
    {
        GuestAddress? destination = null;
        if (wire.Dest.Length > 0 && wire.Dest != "default")
        {
            destination = Cidr(wire.Dest, $"{field}.dest");
        }

        var gateway = wire.Gateway.Length == 0 ? null : Ip(wire.Gateway, $"{field}.gateway");
        var source = wire.Source.Length == 0 ? null : Ip(wire.Source, $"{field}.source");
        var family = destination?.Address.AddressFamily ?? gateway?.AddressFamily
            ?? (wire.Family == Types.IPFamily.V6 ? AddressFamily.InterNetworkV6 : AddressFamily.InterNetwork);
        foreach (var (address, name) in new[] { (destination?.Address, "dest"), (gateway, "gateway"), (source, "source") })
        {
            if (address is not null && address.AddressFamily != family)
            {
                throw new InvalidArgumentException($"{field}.{name}: {address} is not of the route's family ({(family == AddressFamily.InterNetwork ? "IPv4" : "IPv6")})");
            }
        }

        if (wire.Scope > byte.MaxValue)
        {
            throw new InvalidArgumentException($"{field}.scope: {wire.Scope} is not a scope (0-255)");
        }

        if (wire.Device.Length == 0 && gateway is null)
        {
            throw new InvalidArgumentException($"{field}: names neither a device nor a gateway");
        }

        return new GuestRoute(family, destination, gateway, wire.Device.Length == 0 ? null : wire.Device, source, (byte)wire.Scope);
    }

    private static GuestNeighbour Neighbour(Types.ARPNeighbor wire, string field)
    {
        if (wire.ToIPAddress is null)
        {
            throw new InvalidArgumentException($"{field}.toIPAddress: missing");
        }

        if (wire.Device.Length == 0)
        {
            throw new InvalidArgumentException($"{field}.device: missing");
        }

        if (wire.State is < 0 or > ushort.MaxValue)
        {
            throw new InvalidArgumentException($"{field}.state: {wire.State} is not a NUD state");
        }

        return new GuestNeighbour(
            Ip(wire.ToIPAddress.Address, $"{field}.toIPAddress.address"),
            wire.Device,
            HardwareAddress(wire.Lladdr, $"{field}.lladdr"),
            wire.State == 0 ? NudPermanent : (ushort)wire.State);
    }

    private static GuestAddress Address(Types.IPAddress wire, string field)
    {
        var address = Ip(wire.Address, $"{field}.address");
        var maximum = address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        if (!int.TryParse(wire.Mask, NumberStyles.None, CultureInfo.InvariantCulture, out var prefix) || prefix > maximum)
        {
            throw new InvalidArgumentException($"{field}.mask: '{wire.Mask}' is not a prefix length (0-{maximum})");
        }

        return new GuestAddress(address, prefix);
    }

    private static GuestAddress Cidr(string text, string field)
    {
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        var address = Ip(slash < 0 ? text : text[..slash], field);
        var maximum = address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        var prefix = maximum;
        if (slash >= 0 && (!int.TryParse(text.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out prefix) || prefix > maximum))
        {
            throw new InvalidArgumentException($"{field}: '{text}' is not an address/prefix (prefix 0-{maximum})");
        }

        return new GuestAddress(address, prefix);
    }

    private static IPAddress Ip(string text, string field) =>
        IPAddress.TryParse(text, out var address) && address.AddressFamily is AddressFamily.InterNetwork or AddressFamily.InterNetworkV6
            ? address
            : throw new InvalidArgumentException($"{field}: '{text}' is not an IPv4 or IPv6 address");

    private static PhysicalAddress HardwareAddress(string text, string field)
    {
        var octets = text.Split(':');
        var bytes = new byte[octets.Length];
        for (var i = 0; i < octets.Length; i++)
        {
            if (octets[i].Length != 2 || !byte.TryParse(octets[i], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out bytes[i]))
            {
                throw new InvalidArgumentException($"{field}: '{text}' is not a MAC address (xx:xx:xx:xx:xx:xx)");
            }
        }

        return octets.Length == 6
            ? new PhysicalAddress(bytes)
            : throw new InvalidArgumentException($"{field}: '{text}' is not a MAC address (xx:xx:xx:xx:xx:xx)");
    }

    private static string LinkName(string name, string field) =>
        name.Length < 16 && !name.Contains('/', StringComparison.Ordinal) && !name.Any(char.IsWhiteSpace) && name is not ("." or "..")
            ? name
            : throw new InvalidArgumentException($"{field}: '{name}' is not a link name (1-15 characters, no '/' or space)");
}
