namespace Sealpod.Linux.Netlink;

/// <summary>
/// The requests that add and remove addresses, routes and neighbours, laid out as <c>ip addr/route/neigh</c>
/// lays them out, kept apart from <see cref="RtnlRequests"/> so their golden bytes can be checked on their own.
/// </summary>
internal static class RtnlAddressRequests
{
    private const ushort Ack = Rtnl.NLM_F_REQUEST | Rtnl.NLM_F_ACK;

    /// <summary>RTM_NEWADDR (exclusive) or RTM_DELADDR: IFA_LOCAL and IFA_ADDRESS both the address, as <c>ip addr</c> sends without a peer.</summary>
    public static NetlinkWriter Address(uint sequence, bool add, int linkIndex, IPAddress address, int prefixLength)
    {
        var writer = new NetlinkWriter(add ? Rtnl.RTM_NEWADDR : Rtnl.RTM_DELADDR, add ? (ushort)(Ack | Rtnl.NLM_F_CREATE | Rtnl.NLM_F_EXCL) : Ack, sequence);

        // ifa_family (1), ifa_prefixlen (1), ifa_flags (1), ifa_scope (1), ifa_index (4).
        var header = writer.Reserve(Rtnl.IfAddrSize);
        header[0] = Family(address);
        header[1] = (byte)prefixLength;
        MemoryMarshal.Write(header[4..], in linkIndex);
        var bytes = address.GetAddressBytes();
        writer.Attribute(Rtnl.IFA_LOCAL, bytes);
        writer.Attribute(Rtnl.IFA_ADDRESS, bytes);
        return writer;
    }

    /// <summary>
    /// RTM_NEWROUTE (exclusive, protocol boot, main table) or RTM_DELROUTE (scope nowhere, which matches any scope,
    /// as <c>ip route del</c> sends).
    /// </summary>
    public static NetlinkWriter Route(uint sequence, bool add, RouteEntry route)
    {
        ArgumentNullException.ThrowIfNull(route);
        var writer = new NetlinkWriter(add ? Rtnl.RTM_NEWROUTE : Rtnl.RTM_DELROUTE, add ? (ushort)(Ack | Rtnl.NLM_F_CREATE | Rtnl.NLM_F_EXCL) : Ack, sequence);

        // rtm_family, rtm_dst_len, rtm_src_len, rtm_tos, rtm_table, rtm_protocol, rtm_scope, rtm_type, rtm_flags (4).
        var header = writer.Reserve(Rtnl.RtMsgSize);
        header[0] = route.Family == AddressFamily.InterNetwork ? Rtnl.AF_INET : Rtnl.AF_INET6;
        header[1] = (byte)(route.Destination is null ? 0 : route.DestinationPrefixLength);
        header[4] = Rtnl.RT_TABLE_MAIN;
        header[5] = add ? Rtnl.RTPROT_BOOT : (byte)0;
        header[6] = add ? route.Scope : Rtnl.RT_SCOPE_NOWHERE;
        header[7] = Rtnl.RTN_UNICAST;
        if (route.Destination is { } destination)
        {
            writer.Attribute(Rtnl.RTA_DST, destination.GetAddressBytes());
        }

        if (route.Gateway is { } gateway)
        {
            writer.Attribute(Rtnl.RTA_GATEWAY, gateway.GetAddressBytes());
        }

        if (route.PreferredSource is { } source)
        {
            writer.Attribute(Rtnl.RTA_PREFSRC, source.GetAddressBytes());
        }

        if (route.OutputLinkIndex is { } link)
        {
            writer.Attribute(Rtnl.RTA_OIF, (uint)link);
        }

        return writer;
    }

    /// <summary>RTM_NEWNEIGH with create-or-replace, as <c>ip neigh replace</c> sends.</summary>
    public static NetlinkWriter Neighbour(uint sequence, Neighbour neighbour)
    {
        ArgumentNullException.ThrowIfNull(neighbour);
        var writer = new NetlinkWriter(Rtnl.RTM_NEWNEIGH, Ack | Rtnl.NLM_F_CREATE | Rtnl.NLM_F_REPLACE, sequence);

        // ndm_family (1), pads (3), ndm_ifindex (4), ndm_state (2), ndm_flags (1), ndm_type (1).
        var header = writer.Reserve(Rtnl.NdMsgSize);
        header[0] = Family(neighbour.Address);
        var index = neighbour.LinkIndex;
        MemoryMarshal.Write(header[4..], in index);
        var state = neighbour.State;
        MemoryMarshal.Write(header[8..], in state);
        writer.Attribute(Rtnl.NDA_DST, neighbour.Address.GetAddressBytes());
        if (neighbour.HardwareAddress is { } hardware)
        {
            writer.Attribute(Rtnl.NDA_LLADDR, hardware.GetAddressBytes());
        }

        return writer;
    }

    private static byte Family(IPAddress address) =>
        address.AddressFamily == AddressFamily.InterNetwork ? Rtnl.AF_INET : Rtnl.AF_INET6;
}
