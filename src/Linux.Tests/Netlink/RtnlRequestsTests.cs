namespace Sealpod.Linux.Tests.Netlink;

/// <summary>
/// Golden bytes, laid out by hand from the uapi structures (nlmsghdr, tcmsg, ifinfomsg, tc_u32_sel, tc_mirred)
/// and matching what <c>tc</c> and <c>ip</c> send for the same commands. Integers are host order: these
/// expectations are for little-endian hosts.
/// </summary>
public sealed class RtnlRequestsTests
{
    [Fact]
    public void The_ingress_qdisc_request_is_tcmsg_with_handle_ffff_parent_ingress_and_kind()
    {
        var bytes = RtnlRequests.AddIngressQdisc(7, 3).Message.ToArray();

        Assert.Equal(
            "30000000" + "2400" + "0506" + "07000000" + "00000000"
            + "00000000" + "03000000" + "0000ffff" + "f1ffffff" + "00000000"
            + "0c000100" + "696e677265737300",
            Convert.ToHexStringLower(bytes));
    }

    [Fact]
    public void The_redirect_filter_is_u32_with_a_terminal_empty_selector_and_a_stolen_mirred_egress_redirect()
    {
        var bytes = RtnlRequests.AddRedirectFilter(9, 2, 5, priority: 1).Message.ToArray();

        Assert.Equal(
            "7c000000" + "2c00" + "0506" + "09000000" + "00000000"
            // tcmsg: ifindex 2, handle 0, parent ffff:0000, info = prio 1 << 16 | htons(ETH_P_ALL)
            + "00000000" + "02000000" + "00000000" + "0000ffff" + "00030100"
            + "08000100" + "75333200"                                       // TCA_KIND "u32"
            + "50000280"                                                    // TCA_OPTIONS, nested
            + "14000500" + "01000000" + "00000000" + "00000000" + "00000000" // TCA_U32_SEL: flags TERMINAL, no keys
            + "38000780"                                                    // TCA_U32_ACT, nested
            + "34000180"                                                    // action 1, nested
            + "0b000100" + "6d69727265640000"                               // TCA_ACT_KIND "mirred" + pad
            + "24000280"                                                    // TCA_ACT_OPTIONS, nested
            + "20000200" + "00000000" + "00000000" + "04000000" + "00000000" + "00000000" + "01000000" + "05000000",
            Convert.ToHexStringLower(bytes));
    }

    [Fact]
    public void A_link_change_carries_flags_under_a_mask_and_the_MTU_and_address_attributes()
    {
        var bytes = RtnlRequests.SetLink(1, 4, 1, 1, mtu: 1400, address: PhysicalAddress.Parse("02-42-AC-11-00-07")).Message.ToArray();

        Assert.Equal(
            "34000000" + "1000" + "0500" + "01000000" + "00000000"
            + "00000000" + "04000000" + "01000000" + "01000000"
            + "08000400" + "78050000"
            + "0a000100" + "0242ac1100070000",
            Convert.ToHexStringLower(bytes));
    }

    [Fact]
    public void A_dump_request_is_the_zeroed_family_header_with_NLM_F_DUMP()
    {
        Assert.Equal(
            "1c000000" + "1400" + "0103" + "05000000" + "00000000" + "0000000000000000" + "00000000",
            Convert.ToHexStringLower(RtnlRequests.Dump(20, 12, 5).Message.ToArray()));
    }
}
