namespace Sealpod.Linux.Netlink;

/// <summary>
/// Numbers from the kernel's uapi headers (linux/netlink.h, rtnetlink.h, if_link.h, if_addr.h, neighbour.h,
/// pkt_sched.h, pkt_cls.h, tc_act/tc_mirred.h) that the rtnetlink client speaks. Values are ABI: the same on
/// every architecture.
/// </summary>
internal static class Rtnl
{
    // nlmsghdr.nlmsg_type: control messages.
    public const ushort NLMSG_NOOP = 1;
    public const ushort NLMSG_ERROR = 2;
    public const ushort NLMSG_DONE = 3;

    // nlmsghdr.nlmsg_flags.
    public const ushort NLM_F_REQUEST = 0x1;
    public const ushort NLM_F_MULTI = 0x2;
    public const ushort NLM_F_ACK = 0x4;
    public const ushort NLM_F_DUMP = 0x300;
    public const ushort NLM_F_EXCL = 0x200;
    public const ushort NLM_F_CREATE = 0x400;
    public const ushort NLM_F_REPLACE = 0x100;
    public const ushort NLM_F_CAPPED = 0x100;
    public const ushort NLM_F_ACK_TLVS = 0x200;
    public const ushort NLMSGERR_ATTR_MSG = 1;

    public const int HeaderSize = 16;

    // rtnetlink message types.
    public const ushort RTM_NEWLINK = 16;
    public const ushort RTM_DELLINK = 17;
    public const ushort RTM_GETLINK = 18;
    public const ushort RTM_NEWADDR = 20;
    public const ushort RTM_DELADDR = 21;
    public const ushort RTM_GETADDR = 22;
    public const ushort RTM_NEWROUTE = 24;
    public const ushort RTM_DELROUTE = 25;
    public const ushort RTM_GETROUTE = 26;
    public const ushort RTM_NEWNEIGH = 28;
    public const ushort RTM_GETNEIGH = 30;
    public const ushort RTM_NEWQDISC = 36;
    public const ushort RTM_DELQDISC = 37;
    public const ushort RTM_GETQDISC = 38;
    public const ushort RTM_NEWTFILTER = 44;
    public const ushort RTM_GETTFILTER = 46;

    // rtattr type bits that are not part of the number.
    public const ushort NLA_F_NESTED = 0x8000;
    public const ushort NLA_F_NET_BYTEORDER = 0x4000;
    public const ushort NLA_TYPE_MASK = 0x3FFF;

    // struct ifinfomsg (16 bytes) and its attributes.
    public const int IfInfoSize = 16;
    public const ushort IFLA_ADDRESS = 1;
    public const ushort IFLA_IFNAME = 3;
    public const ushort IFLA_MTU = 4;
    public const ushort IFLA_LINK = 5;
    public const ushort IFLA_LINKINFO = 18;
    public const ushort IFLA_INFO_KIND = 1;
    public const uint IFF_UP = 0x1;

    // struct ifaddrmsg (8 bytes) and its attributes.
    public const int IfAddrSize = 8;
    public const ushort IFA_ADDRESS = 1;
    public const ushort IFA_LOCAL = 2;
    public const ushort IFA_LABEL = 3;

    // struct rtmsg (12 bytes) and its attributes.
    public const int RtMsgSize = 12;
    public const ushort RTA_DST = 1;
    public const ushort RTA_OIF = 4;
    public const ushort RTA_GATEWAY = 5;
    public const ushort RTA_PRIORITY = 6;
    public const ushort RTA_PREFSRC = 7;
    public const ushort RTA_TABLE = 15;
    public const byte RT_TABLE_MAIN = 254;
    public const byte RTN_UNICAST = 1;
    public const byte RTPROT_BOOT = 3;
    public const byte RT_SCOPE_UNIVERSE = 0;
    public const byte RT_SCOPE_LINK = 253;
    public const byte RT_SCOPE_NOWHERE = 255;

    // struct ndmsg (12 bytes) and its attributes.
    public const int NdMsgSize = 12;
    public const ushort NDA_DST = 1;
    public const ushort NDA_LLADDR = 2;
    public const ushort NUD_PERMANENT = 0x80;

    // struct tcmsg (20 bytes) and the traffic-control attributes.
    public const int TcMsgSize = 20;
    public const ushort TCA_KIND = 1;
    public const ushort TCA_OPTIONS = 2;
    public const uint TC_H_INGRESS = 0xFFFFFFF1;
    public const uint IngressHandle = 0xFFFF0000;
    public const ushort ETH_P_ALL = 0x0003;

    // u32 classifier (pkt_cls.h).
    public const ushort TCA_U32_SEL = 5;
    public const ushort TCA_U32_ACT = 7;
    public const byte TC_U32_TERMINAL = 1;
    public const int U32SelectorSize = 16;

    // Actions (pkt_cls.h) and mirred (tc_act/tc_mirred.h).
    public const ushort TCA_ACT_KIND = 1;
    public const ushort TCA_ACT_OPTIONS = 2;
    public const ushort TCA_MIRRED_PARMS = 2;
    public const int TCA_EGRESS_REDIR = 1;
    public const int TC_ACT_STOLEN = 4;
    public const int MirredSize = 28;

    public const byte AF_UNSPEC = 0;
    public const byte AF_INET = 2;
    public const byte AF_INET6 = 10;

    public static int Align(int length) => (length + 3) & ~3;
}
