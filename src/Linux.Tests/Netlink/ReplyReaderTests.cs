namespace Sealpod.Linux.Tests.Netlink;

public sealed class ReplyReaderTests
{
    private const uint Sequence = 42;

    [Fact]
    public void A_dump_spanning_datagrams_yields_every_message_and_ends_at_done()
    {
        var reader = new ReplyReader(Sequence, "list links");
        var links = new List<NetworkLink>();
        void Collect(NetlinkMessage message) => links.Add(RouteNetlink.ParseLink(message));

        Assert.False(reader.Accept(Concat(Link(1, "lo", 65536, null), Link(2, "eth0", 1450, "veth")), Collect));
        Assert.False(reader.Accept(Concat(Link(3, "tap0_kata", 1450, "tun"), Message(Rtnl.RTM_NEWLINK, Rtnl.NLM_F_MULTI, Sequence - 1, new byte[16])), Collect));
        Assert.True(reader.Accept(Message(Rtnl.NLMSG_DONE, Rtnl.NLM_F_MULTI, Sequence, new byte[4]), Collect));

        Assert.Equal(
            [new NetworkLink(1, "lo", null, 65536, null, 0), new NetworkLink(2, "eth0", null, 1450, "veth", 0), new NetworkLink(3, "tap0_kata", null, 1450, "tun", 0)],
            links);
    }

    [Fact]
    public void Trickled_one_message_per_datagram_the_result_is_the_same()
    {
        var reader = new ReplyReader(Sequence, "list links");
        var names = new List<string>();
        foreach (var datagram in new[] { Link(1, "lo", 65536, null), Link(2, "eth0", 1450, "veth"), Message(Rtnl.NLMSG_DONE, Rtnl.NLM_F_MULTI, Sequence, new byte[4]) })
        {
            reader.Accept(datagram, message => names.Add(RouteNetlink.ParseLink(message).Name));
        }

        Assert.True(reader.Finished);
        Assert.Equal(["lo", "eth0"], names);
    }

    [Fact]
    public void An_ack_finishes_a_request()
    {
        var reader = new ReplyReader(Sequence, "set link 2 up");

        Assert.True(reader.Accept(Error(0, null), null));
    }

    [Fact]
    public void An_error_names_the_operation_the_errno_and_the_kernels_extended_ack_text()
    {
        var reader = new ReplyReader(Sequence, "add ingress qdisc on link 2");

        var error = Assert.Throws<NetlinkException>(() => reader.Accept(Error(-17, "Exclusivity flag on, cannot modify"), null));

        Assert.Equal(17, error.Errno);
        Assert.Equal("Exclusivity flag on, cannot modify", error.KernelMessage);
        Assert.Equal("netlink add ingress qdisc on link 2: File exists (errno 17): Exclusivity flag on, cannot modify", error.Message);
    }

    [Fact]
    public void An_error_without_extended_ack_has_no_kernel_text()
    {
        var error = Assert.Throws<NetlinkException>(() => new ReplyReader(Sequence, "delete link 9").Accept(Error(-19, null), null));

        Assert.Equal("netlink delete link 9: No such device (errno 19)", error.Message);
    }

    [Fact]
    public void A_message_longer_than_its_datagram_is_refused()
    {
        var datagram = Link(2, "eth0", 1450, "veth");
        var error = Assert.Throws<InvalidDataException>(() => new ReplyReader(Sequence, "list links").Accept(datagram.AsSpan(0, datagram.Length - 8), null));

        Assert.Contains("does not fit", error.Message);
    }

    [Fact]
    public void An_attribute_longer_than_its_message_is_refused()
    {
        var payload = new byte[16 + 8];
        payload[16] = 0x40; // rtattr length 64 in an 8-byte run
        payload[18] = (byte)Rtnl.IFLA_MTU;

        var error = Assert.Throws<InvalidDataException>(() => new ReplyReader(Sequence, "list links")
            .Accept(Message(Rtnl.RTM_NEWLINK, Rtnl.NLM_F_MULTI, Sequence, payload), message => RouteNetlink.ParseLink(message)));

        Assert.Contains("attribute length 64", error.Message);
    }

    private static byte[] Link(int index, string name, int mtu, string? kind)
    {
        var writer = new NetlinkWriter(Rtnl.RTM_NEWLINK, Rtnl.NLM_F_MULTI, Sequence);
        MemoryMarshal.Write(writer.Reserve(Rtnl.IfInfoSize)[4..], in index);
        writer.Attribute(Rtnl.IFLA_IFNAME, name);
        writer.Attribute(Rtnl.IFLA_MTU, (uint)mtu);
        if (kind is not null)
        {
            var info = writer.BeginNested(Rtnl.IFLA_LINKINFO);
            writer.Attribute(Rtnl.IFLA_INFO_KIND, kind);
            writer.EndNested(info);
        }

        return writer.Message.ToArray();
    }

    private static byte[] Error(int error, string? text)
    {
        // errno, then the request's header alone (NETLINK_CAP_ACK), then the extended-ack attributes.
        var writer = new NetlinkWriter(Rtnl.NLMSG_ERROR, (ushort)(text is null ? 0 : Rtnl.NLM_F_CAPPED | Rtnl.NLM_F_ACK_TLVS), Sequence);
        MemoryMarshal.Write(writer.Reserve(4), in error);
        writer.Reserve(Rtnl.HeaderSize);
        if (text is not null)
        {
            writer.Attribute(Rtnl.NLMSGERR_ATTR_MSG, text);
        }

        return writer.Message.ToArray();
    }

    private static byte[] Message(ushort type, ushort flags, uint sequence, byte[] payload)
    {
        var writer = new NetlinkWriter(type, flags, sequence);
        payload.CopyTo(writer.Reserve(payload.Length));
        return writer.Message.ToArray();
    }

    private static byte[] Concat(params byte[][] messages) => messages.SelectMany(message => message).ToArray();
}
