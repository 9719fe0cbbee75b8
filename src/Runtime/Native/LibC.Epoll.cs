using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Sealpod.Runtime.Native;

internal static partial class LibC
{
    public const int EPOLL_CTL_ADD = 1;
    public const int EPOLL_CTL_DEL = 2;
    public const uint EPOLLIN = 0x001;
    public const uint EPOLLOUT = 0x004;
    public const uint EPOLLERR = 0x008;
    public const uint EPOLLHUP = 0x010;
    public const uint EPOLLRDHUP = 0x2000;
    public const uint EPOLLET = 1u << 31;

    /// <summary>struct epoll_event is packed on x86-64 (12 bytes) and naturally aligned elsewhere (16 bytes).</summary>
    public static int EpollEventSize => RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 12 : 16;

    [LibraryImport("libc", EntryPoint = "epoll_create1", SetLastError = true)]
    public static partial int EpollCreate1(int flags);

    [LibraryImport("libc", EntryPoint = "epoll_ctl", SetLastError = true)]
    public static unsafe partial int EpollCtl(int epollFd, int operation, int fd, byte* epollEvent);

    [LibraryImport("libc", EntryPoint = "epoll_wait", SetLastError = true)]
    public static unsafe partial int EpollWait(int epollFd, byte* events, int maxEvents, int timeoutMilliseconds);

    public static void WriteEpollEvent(Span<byte> destination, uint events, ulong data)
    {
        destination.Clear();
        BinaryPrimitives.WriteUInt32LittleEndian(destination, events);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[(EpollEventSize - 8)..], data);
    }

    public static (uint Events, ulong Data) ReadEpollEvent(ReadOnlySpan<byte> source) =>
        (BinaryPrimitives.ReadUInt32LittleEndian(source), BinaryPrimitives.ReadUInt64LittleEndian(source[(EpollEventSize - 8)..]));
}
