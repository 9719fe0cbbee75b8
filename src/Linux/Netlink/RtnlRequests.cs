using System.Buffers.Binary;

namespace Sealpod.Linux.Netlink;

/// <summary>
/// The requests <see cref="RouteNetlink"/> sends, built without a socket so their bytes can be checked against
/// what iproute2 sends for the same operation.
/// </summary>
internal static class RtnlRequests
{
    private const ushort Ack = Rtnl.NLM_F_REQUEST | Rtnl.NLM_F_ACK;

    /// <summary>A dump of every object of one kind: the family header is zero except its family byte.</summary>
    public static NetlinkWriter Dump(ushort type, int fixedSize, uint sequence)
    {
        var writer = new NetlinkWriter(type, Rtnl.NLM_F_REQUEST | Rtnl.NLM_F_DUMP, sequence);
        writer.Reserve(fixedSize);
        return writer;
    }

    /// <summary>RTM_NEWLINK on an existing link: flags under a mask, and optionally the MTU and hardware address.</summary>
    public static NetlinkWriter SetLink(uint sequence, int index, uint flags, uint change, int? mtu = null, PhysicalAddress? address = null, string? name = null)
    {
        var writer = new NetlinkWriter(Rtnl.RTM_NEWLINK, Ack, sequence);
        WriteIfInfo(writer.Reserve(Rtnl.IfInfoSize), index, flags, change);
        if (mtu is { } value)
        {
            writer.Attribute(Rtnl.IFLA_MTU, (uint)value);
        }

        if (address is not null)
        {
            writer.Attribute(Rtnl.IFLA_ADDRESS, address.GetAddressBytes());
        }

        if (name is not null)
        {
            writer.Attribute(Rtnl.IFLA_IFNAME, name);
        }

        return writer;
    }

    public static NetlinkWriter DeleteLink(uint sequence, int index)
    {
        var writer = new NetlinkWriter(Rtnl.RTM_DELLINK, Ack, sequence);
        WriteIfInfo(writer.Reserve(Rtnl.IfInfoSize), index, 0, 0);
        return writer;
    }

    /// <summary>The ingress qdisc (handle ffff:, parent ffff:fff1), created exclusively like <c>tc qdisc add ... ingress</c>.</summary>
    public static NetlinkWriter AddIngressQdisc(uint sequence, int index)
    {
        var writer = new NetlinkWriter(Rtnl.RTM_NEWQDISC, Ack | Rtnl.NLM_F_CREATE | Rtnl.NLM_F_EXCL, sequence);
        WriteTcMsg(writer.Reserve(Rtnl.TcMsgSize), index, Rtnl.IngressHandle, Rtnl.TC_H_INGRESS, 0);
        writer.Attribute(Rtnl.TCA_KIND, "ingress");
        return writer;
    }

    /// <summary>Deleting by parent alone (handle 0) makes a link without an ingress qdisc answer ENOENT.</summary>
    public static NetlinkWriter DeleteIngressQdisc(uint sequence, int index)
    {
        var writer = new NetlinkWriter(Rtnl.RTM_DELQDISC, Ack, sequence);
        WriteTcMsg(writer.Reserve(Rtnl.TcMsgSize), index, 0, Rtnl.TC_H_INGRESS, 0);
        return writer;
    }

    /// <summary>
    /// A u32 filter on the ingress of <paramref name="fromIndex"/> that matches every packet of every protocol
    /// (one terminal selector with no keys, as Kata's tcfilter model installs) and hands it to a mirred action
    /// that redirects it to the egress of <paramref name="toIndex"/> and stops processing it (TC_ACT_STOLEN).
    /// </summary>
    public static NetlinkWriter AddRedirectFilter(uint sequence, int fromIndex, int toIndex, ushort priority)
    {
        var writer = new NetlinkWriter(Rtnl.RTM_NEWTFILTER, Ack | Rtnl.NLM_F_CREATE | Rtnl.NLM_F_EXCL, sequence);
        var protocol = BitConverter.IsLittleEndian ? BinaryPrimitives.ReverseEndianness(Rtnl.ETH_P_ALL) : Rtnl.ETH_P_ALL;

        // tcm_info: the priority in the upper half, the protocol in network byte order in the lower half.
        WriteTcMsg(writer.Reserve(Rtnl.TcMsgSize), fromIndex, 0, Rtnl.IngressHandle, ((uint)priority << 16) | protocol);
        writer.Attribute(Rtnl.TCA_KIND, "u32");
        var options = writer.BeginNested(Rtnl.TCA_OPTIONS);

        Span<byte> selector = stackalloc byte[Rtnl.U32SelectorSize];
        selector.Clear();
        selector[0] = Rtnl.TC_U32_TERMINAL;
        writer.Attribute(Rtnl.TCA_U32_SEL, selector);

        var actions = writer.BeginNested(Rtnl.TCA_U32_ACT);
        var first = writer.BeginNested(1);
        writer.Attribute(Rtnl.TCA_ACT_KIND, "mirred");
        var actionOptions = writer.BeginNested(Rtnl.TCA_ACT_OPTIONS);

        // struct tc_mirred: tc_gen (index, capab, action, refcnt, bindcnt), eaction, ifindex.
        Span<int> mirred = stackalloc int[Rtnl.MirredSize / 4];
        mirred.Clear();
        mirred[2] = Rtnl.TC_ACT_STOLEN;
        mirred[5] = Rtnl.TCA_EGRESS_REDIR;
        mirred[6] = toIndex;
        writer.Attribute(Rtnl.TCA_MIRRED_PARMS, MemoryMarshal.AsBytes(mirred));

        writer.EndNested(actionOptions);
        writer.EndNested(first);
        writer.EndNested(actions);
        writer.EndNested(options);
        return writer;
    }

    private static void WriteIfInfo(Span<byte> header, int index, uint flags, uint change)
    {
        // ifi_family (1), pad (1), ifi_type (2), ifi_index (4), ifi_flags (4), ifi_change (4).
        MemoryMarshal.Write(header[4..], in index);
        MemoryMarshal.Write(header[8..], in flags);
        MemoryMarshal.Write(header[12..], in change);
    }

    private static void WriteTcMsg(Span<byte> header, int index, uint handle, uint parent, uint info)
    {
        // tcm_family (1), pads (3), tcm_ifindex (4), tcm_handle (4), tcm_parent (4), tcm_info (4).
        MemoryMarshal.Write(header[4..], in index);
        MemoryMarshal.Write(header[8..], in handle);
        MemoryMarshal.Write(header[12..], in parent);
        MemoryMarshal.Write(header[16..], in info);
    }
}
