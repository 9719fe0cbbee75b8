using System.Runtime.InteropServices;

namespace Sealpod.AgentClient.Transport;

/// <summary>
/// libc calls for AF_VSOCK: .NET's <see cref="System.Net.SocketAddress"/> refuses address families it
/// does not know, so the socket is created and connected here and only then handed to a
/// <see cref="System.Net.Sockets.Socket"/> for asynchronous I/O.
/// </summary>
internal static partial class VsockNative
{
    public const int AfVsock = 40;
    public const int SockStream = 1;
    public const int SockNonBlock = 0x800;
    public const int SockCloExec = 0x80000;
    public const int SolSocket = 1;
    public const int SoError = 4;
    public const short PollOut = 0x004;
    public const int EInProgress = 115;
    public const int EIntr = 4;
    public const int EAddrInUse = 98;

    /// <summary><c>_IOW(VHOST_VIRTIO 0xAF, 0x60, __u64)</c> from linux/vhost.h.</summary>
    public const uint VhostVsockSetGuestCid = 0x4008AF60;

    [StructLayout(LayoutKind.Sequential)]
    public struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }

    [LibraryImport("libc", SetLastError = true)]
    public static partial int socket(int domain, int type, int protocol);

    [LibraryImport("libc", SetLastError = true)]
    public static unsafe partial int connect(int fd, byte* address, int addressLength);

    [LibraryImport("libc", SetLastError = true)]
    public static unsafe partial int poll(PollFd* fds, nuint count, int timeoutMs);

    [LibraryImport("libc", SetLastError = true)]
    public static unsafe partial int getsockopt(int fd, int level, int name, int* value, int* length);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int close(int fd);

    [LibraryImport("libc", SetLastError = true)]
    public static unsafe partial int ioctl(int fd, nuint request, ulong* argument);

    /// <summary>Encodes <c>struct sockaddr_vm</c> (linux/vm_sockets.h, 16 bytes, host byte order).</summary>
    public static void WriteSockaddrVm(Span<byte> destination, uint contextId, uint port)
    {
        if (destination.Length < 16)
        {
            throw new ArgumentException("sockaddr_vm needs 16 bytes", nameof(destination));
        }

        destination[..16].Clear();
        System.Buffers.Binary.BinaryPrimitives.WriteUInt16LittleEndian(destination, AfVsock);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(destination[4..], port);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(destination[8..], contextId);
    }
}
