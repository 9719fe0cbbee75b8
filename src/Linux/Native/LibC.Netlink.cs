namespace Sealpod.Linux.Native;

/// <summary>
/// What the pod network needs from libc: netlink sockets (linux/netlink.h), entering a network namespace
/// (setns) and creating taps through /dev/net/tun (linux/if_tun.h).
/// </summary>
public static unsafe partial class LibC
{
    public const int AF_NETLINK = 16;
    public const int SOCK_RAW = 3;
    public const int NETLINK_ROUTE = 0;
    public const int SOL_NETLINK = 270;
    public const int NETLINK_CAP_ACK = 10;
    public const int NETLINK_EXT_ACK = 11;
    public const int MSG_TRUNC = 0x20;

    /// <summary>SO_RCVTIMEO with the 64-bit struct timeval (x86-64, arm64, s390x).</summary>
    public const int SO_RCVTIMEO = 20;

    public const int CLONE_NEWNET = 0x40000000;

    /// <summary><c>_IOW('T', 202, int)</c>.</summary>
    public const nuint TUNSETIFF = 0x400454CA;

    /// <summary><c>_IOW('T', 203, int)</c>.</summary>
    public const nuint TUNSETPERSIST = 0x400454CB;

    public const short IFF_TAP = 0x0002;
    public const short IFF_NO_PI = 0x1000;
    public const short IFF_VNET_HDR = 0x4000;
    public const short IFF_MULTI_QUEUE = 0x0100;
    public const int IFNAMSIZ = 16;

    /// <summary>struct sockaddr_nl (12 bytes).</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct SockAddrNetlink
    {
        public ushort Family;
        public ushort Pad;
        public uint PortId;
        public uint Groups;
    }

    /// <summary>struct timeval on 64-bit Linux.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct TimeVal
    {
        public long Seconds;
        public long Microseconds;
    }

    /// <summary>struct ifreq as TUNSETIFF reads it: the name, then the flags at the start of the 24-byte union.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct IfReqFlags
    {
        public fixed byte Name[16];
        public short Flags;
        public fixed byte Rest[22];
    }

    [LibraryImport(Library, EntryPoint = "setns", SetLastError = true)]
    public static partial int SetNs(int fd, int namespaceType);

    [LibraryImport(Library, EntryPoint = "send", SetLastError = true)]
    public static partial nint Send(int fd, byte* buffer, nuint length, int flags);

    [LibraryImport(Library, EntryPoint = "recv", SetLastError = true)]
    public static partial nint Recv(int fd, byte* buffer, nuint length, int flags);

    [LibraryImport(Library, EntryPoint = "setsockopt", SetLastError = true)]
    public static partial int SetSockOpt(int fd, int level, int name, void* value, uint length);
}
