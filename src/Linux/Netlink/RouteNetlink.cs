namespace Sealpod.Linux.Netlink;

/// <summary>
/// rtnetlink in the network namespace it was opened in: lists links, addresses, routes, neighbours and qdiscs;
/// sets links up or down, their MTU and hardware address; deletes links; installs and removes the ingress qdisc
/// and the mirred redirect filters that join a veth and a tap. Errors are <see cref="NetlinkException"/>s naming
/// the operation and the link. Not thread-safe: one request at a time, like the socket under it.
/// </summary>
public sealed class RouteNetlink : IDisposable
{
    private readonly NetlinkSocket _socket;

    private RouteNetlink(NetlinkSocket socket) => _socket = socket;

    /// <summary>Opens a client bound to the calling thread's network namespace.</summary>
    public static RouteNetlink Open() => new(NetlinkSocket.Open());

    public IReadOnlyList<NetworkLink> ListLinks() => DumpAll(Rtnl.RTM_GETLINK, Rtnl.IfInfoSize, Rtnl.RTM_NEWLINK, "list links", ParseLink);

    /// <summary>The link named <paramref name="name"/>, or null.</summary>
    public NetworkLink? FindLink(string name) => ListLinks().FirstOrDefault(link => link.Name == name);

    public IReadOnlyList<LinkAddress> ListAddresses() => DumpAll(Rtnl.RTM_GETADDR, Rtnl.IfAddrSize, Rtnl.RTM_NEWADDR, "list addresses", ParseAddress);

    /// <summary>The unicast routes of the main table, IPv4 and IPv6.</summary>
    public IReadOnlyList<RouteEntry> ListRoutes() => DumpAll(Rtnl.RTM_GETROUTE, Rtnl.RtMsgSize, Rtnl.RTM_NEWROUTE, "list routes", ParseRoute);

    /// <summary>Every neighbour entry; <see cref="Neighbour.IsPermanent"/> picks the static ones a pod carries over.</summary>
    public IReadOnlyList<Neighbour> ListNeighbours() => DumpAll(Rtnl.RTM_GETNEIGH, Rtnl.NdMsgSize, Rtnl.RTM_NEWNEIGH, "list neighbours", ParseNeighbour);

    public IReadOnlyList<Qdisc> ListQdiscs(int linkIndex) =>
        [.. DumpAll(Rtnl.RTM_GETQDISC, Rtnl.TcMsgSize, Rtnl.RTM_NEWQDISC, "list qdiscs", ParseQdisc).Where(qdisc => qdisc.LinkIndex == linkIndex)];

    public void SetUp(int linkIndex, bool up) =>
        Send(RtnlRequests.SetLink(_socket.NextSequence(), linkIndex, up ? Rtnl.IFF_UP : 0, Rtnl.IFF_UP), $"set link {linkIndex} {(up ? "up" : "down")}");

    public void SetMtu(int linkIndex, int mtu) =>
        Send(RtnlRequests.SetLink(_socket.NextSequence(), linkIndex, 0, 0, mtu: mtu), $"set link {linkIndex} mtu {mtu}");

    public void SetHardwareAddress(int linkIndex, PhysicalAddress address) =>
        Send(RtnlRequests.SetLink(_socket.NextSequence(), linkIndex, 0, 0, address: address), $"set link {linkIndex} address {address}");

    /// <summary>Renames a link; the kernel refuses while it is up (EBUSY).</summary>
    public void SetName(int linkIndex, string name) =>
        Send(RtnlRequests.SetLink(_socket.NextSequence(), linkIndex, 0, 0, name: name), $"rename link {linkIndex} to {name}");

    public void AddAddress(int linkIndex, IPAddress address, int prefixLength) =>
        Send(RtnlAddressRequests.Address(_socket.NextSequence(), add: true, linkIndex, address, prefixLength), $"add address {address}/{prefixLength} to link {linkIndex}");

    public void DeleteAddress(int linkIndex, IPAddress address, int prefixLength) =>
        Send(RtnlAddressRequests.Address(_socket.NextSequence(), add: false, linkIndex, address, prefixLength), $"delete address {address}/{prefixLength} from link {linkIndex}");

    /// <summary>Adds a unicast route to the main table; fails with EEXIST when one with the same key is there.</summary>
    public void AddRoute(RouteEntry route) =>
        Send(RtnlAddressRequests.Route(_socket.NextSequence(), add: true, route), $"add route {Describe(route)}");

    public void DeleteRoute(RouteEntry route) =>
        Send(RtnlAddressRequests.Route(_socket.NextSequence(), add: false, route), $"delete route {Describe(route)}");

    /// <summary>Adds or replaces a neighbour entry with the state it carries (NUD_PERMANENT for static ones).</summary>
    public void ReplaceNeighbour(Neighbour neighbour) =>
        Send(RtnlAddressRequests.Neighbour(_socket.NextSequence(), neighbour), $"add neighbour {neighbour.Address} on link {neighbour.LinkIndex}");

    public void DeleteLink(int linkIndex) =>
        Send(RtnlRequests.DeleteLink(_socket.NextSequence(), linkIndex), $"delete link {linkIndex}");

    public void AddIngressQdisc(int linkIndex) =>
        Send(RtnlRequests.AddIngressQdisc(_socket.NextSequence(), linkIndex), $"add ingress qdisc on link {linkIndex}");

    /// <summary>Removes the ingress qdisc and with it every filter under it; false when there was none.</summary>
    public bool DeleteIngressQdisc(int linkIndex)
    {
        try
        {
            Send(RtnlRequests.DeleteIngressQdisc(_socket.NextSequence(), linkIndex), $"delete ingress qdisc on link {linkIndex}");
            return true;
        }
        catch (NetlinkException error) when (error.Errno == Native.LibC.ENOENT && !ListQdiscs(linkIndex).Any(qdisc => qdisc.IsIngress))
        {
            return false;
        }
    }

    /// <summary>Every packet arriving on <paramref name="fromIndex"/> leaves through <paramref name="toIndex"/>; needs the ingress qdisc on the first.</summary>
    public void AddRedirectFilter(int fromIndex, int toIndex, ushort priority = 1) =>
        Send(RtnlRequests.AddRedirectFilter(_socket.NextSequence(), fromIndex, toIndex, priority), $"add redirect filter from link {fromIndex} to link {toIndex}");

    public void Dispose() => _socket.Dispose();

    private static string Describe(RouteEntry route) =>
        $"{(route.Destination is null ? "default" : $"{route.Destination}/{route.DestinationPrefixLength}")}"
        + (route.Gateway is null ? "" : $" via {route.Gateway}")
        + (route.OutputLinkIndex is null ? "" : $" dev {route.OutputLinkIndex}");

    private void Send(NetlinkWriter request, string operation)
    {
        var sequence = MemoryMarshal.Read<uint>(request.Message[8..]);
        _socket.Transact(request, sequence, operation);
    }

    private void Dump(ushort type, int fixedSize, string operation, ReplyReader.MessageHandler onMessage)
    {
        var sequence = _socket.NextSequence();
        _socket.Transact(RtnlRequests.Dump(type, fixedSize, sequence), sequence, operation, onMessage);
    }

    private delegate T? MessageParser<T>(NetlinkMessage message)
        where T : class;

    // A dump's replies of replyType, each parsed, in the kernel's order; those the parser passes over (null: a route of
    // another table or type, an address without one of its own) are left out.
    private List<T> DumpAll<T>(ushort type, int fixedSize, ushort replyType, string operation, MessageParser<T> parse)
        where T : class
    {
        var items = new List<T>();
        Dump(type, fixedSize, operation, message =>
        {
            if (message.Type == replyType && parse(message) is { } item)
            {
                items.Add(item);
            }
        });
        return items;
    }

    internal static NetworkLink ParseLink(NetlinkMessage message)
    {
        var payload = Fixed(message, Rtnl.IfInfoSize, "ifinfomsg");
        var index = MemoryMarshal.Read<int>(payload[4..]);
        var flags = MemoryMarshal.Read<uint>(payload[8..]);
        string name = "";
        PhysicalAddress? address = null;
        var mtu = 0;
        string? kind = null;
        foreach (var attribute in message.Attributes(Rtnl.IfInfoSize))
        {
            switch (attribute.Type)
            {
                case Rtnl.IFLA_IFNAME:
                    name = NetlinkAttribute.ToText(attribute.Value);
                    break;
                case Rtnl.IFLA_ADDRESS:
                    address = NetlinkAttribute.ToHardwareAddress(attribute.Value);
                    break;
                case Rtnl.IFLA_MTU:
                    mtu = (int)NetlinkAttribute.ToUInt32(attribute.Value, "IFLA_MTU");
                    break;
                case Rtnl.IFLA_LINKINFO:
                    if (attribute.Nested.TryFind(Rtnl.IFLA_INFO_KIND, out var kindValue))
                    {
                        kind = NetlinkAttribute.ToText(kindValue);
                    }

                    break;
            }
        }

        return new NetworkLink(index, name, address, mtu, kind, flags);
    }

    internal static LinkAddress? ParseAddress(NetlinkMessage message)
    {
        var payload = Fixed(message, Rtnl.IfAddrSize, "ifaddrmsg");
        IPAddress? address = null;
        IPAddress? local = null;
        foreach (var attribute in message.Attributes(Rtnl.IfAddrSize))
        {
            if (attribute.Type == Rtnl.IFA_ADDRESS)
            {
                address = NetlinkAttribute.ToAddress(attribute.Value, "IFA_ADDRESS");
            }
            else if (attribute.Type == Rtnl.IFA_LOCAL)
            {
                local = NetlinkAttribute.ToAddress(attribute.Value, "IFA_LOCAL");
            }
        }

        // On point-to-point IPv4 links IFA_ADDRESS is the peer; IFA_LOCAL is always this side's own.
        var own = local ?? address;
        return own is null ? null : new LinkAddress(MemoryMarshal.Read<int>(payload[4..]), own, payload[1], payload[3]);
    }

    internal static RouteEntry? ParseRoute(NetlinkMessage message)
    {
        var payload = Fixed(message, Rtnl.RtMsgSize, "rtmsg");
        var family = payload[0];
        uint table = payload[4];
        if (payload[7] != Rtnl.RTN_UNICAST || (family != Rtnl.AF_INET && family != Rtnl.AF_INET6))
        {
            return null;
        }

        IPAddress? destination = null;
        IPAddress? gateway = null;
        IPAddress? source = null;
        int? outputLink = null;
        foreach (var attribute in message.Attributes(Rtnl.RtMsgSize))
        {
            switch (attribute.Type)
            {
                case Rtnl.RTA_DST:
                    destination = NetlinkAttribute.ToAddress(attribute.Value, "RTA_DST");
                    break;
                case Rtnl.RTA_GATEWAY:
                    gateway = NetlinkAttribute.ToAddress(attribute.Value, "RTA_GATEWAY");
                    break;
                case Rtnl.RTA_PREFSRC:
                    source = NetlinkAttribute.ToAddress(attribute.Value, "RTA_PREFSRC");
                    break;
                case Rtnl.RTA_OIF:
                    outputLink = (int)NetlinkAttribute.ToUInt32(attribute.Value, "RTA_OIF");
                    break;
                case Rtnl.RTA_TABLE:
                    // Tables above 255 are only in RTA_TABLE; rtm_table then says RT_TABLE_COMPAT.
                    table = NetlinkAttribute.ToUInt32(attribute.Value, "RTA_TABLE");
                    break;
            }
        }

        if (table != Rtnl.RT_TABLE_MAIN)
        {
            return null;
        }

        return new RouteEntry(
            family == Rtnl.AF_INET ? AddressFamily.InterNetwork : AddressFamily.InterNetworkV6,
            destination,
            payload[1],
            gateway,
            outputLink,
            source,
            payload[6],
            payload[5]);
    }

    internal static Neighbour? ParseNeighbour(NetlinkMessage message)
    {
        var payload = Fixed(message, Rtnl.NdMsgSize, "ndmsg");
        IPAddress? address = null;
        PhysicalAddress? hardware = null;
        foreach (var attribute in message.Attributes(Rtnl.NdMsgSize))
        {
            if (attribute.Type == Rtnl.NDA_DST)
            {
                address = NetlinkAttribute.ToAddress(attribute.Value, "NDA_DST");
            }
            else if (attribute.Type == Rtnl.NDA_LLADDR)
            {
                hardware = NetlinkAttribute.ToHardwareAddress(attribute.Value);
            }
        }

        return address is null
            ? null
            : new Neighbour(MemoryMarshal.Read<int>(payload[4..]), address, hardware, MemoryMarshal.Read<ushort>(payload[8..]));
    }

    internal static Qdisc ParseQdisc(NetlinkMessage message)
    {
        var payload = Fixed(message, Rtnl.TcMsgSize, "tcmsg");
        var kind = message.Attributes(Rtnl.TcMsgSize).TryFind(Rtnl.TCA_KIND, out var value) ? NetlinkAttribute.ToText(value) : "";
        return new Qdisc(MemoryMarshal.Read<int>(payload[4..]), kind, MemoryMarshal.Read<uint>(payload[8..]), MemoryMarshal.Read<uint>(payload[12..]));
    }

    private static ReadOnlySpan<byte> Fixed(NetlinkMessage message, int size, string what) =>
        message.Payload.Length >= size
            ? message.Payload
            : throw new InvalidDataException($"netlink: a message of type {message.Type} has {message.Payload.Length} bytes, shorter than its {size}-byte {what}");
}
