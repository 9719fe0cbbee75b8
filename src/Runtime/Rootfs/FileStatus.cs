using System.Runtime.InteropServices;

namespace Sealpod.Runtime.Rootfs;

/// <summary>lstat(2) of one path: .NET's FileSystemInfo hides owners and device numbers, which an image must keep.</summary>
internal readonly partial record struct FileStatus(uint Mode, uint Uid, uint Gid, long Size, long ModifiedNanoseconds, long DeviceNumber)
{
    private const uint TypeMask = 0xF000;
    private const uint Directory = 0x4000;
    private const uint SymbolicLink = 0xA000;

    public bool IsDirectory => (Mode & TypeMask) == Directory;

    public bool IsSymbolicLink => (Mode & TypeMask) == SymbolicLink;

    private const uint RegularFile = 0x8000;

    public bool IsRegularFile => (Mode & TypeMask) == RegularFile;

    public static FileStatus Lstat(string path) => Get(path, followLinks: false);

    /// <summary>stat(2): a symbolic link is followed, as mount(2) follows a bind mount's source.</summary>
    public static FileStatus Stat(string path) => Get(path, followLinks: true);

    /// <summary>lstat(2) of <paramref name="name"/> in the directory open as <paramref name="directoryFd"/>.</summary>
    public static FileStatus LstatAt(int directoryFd, string name) => Get(directoryFd, name, AtSymlinkNoFollow, "lstat");

    /// <summary>fstat(2) of an open descriptor.</summary>
    public static FileStatus OfDescriptor(int fd) => Get(fd, string.Empty, AtEmptyPath, "fstat");

    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const int AtEmptyPath = 0x1000;

    private static FileStatus Get(string path, bool followLinks) =>
        Get(AtFdCwd, path, followLinks ? 0 : AtSymlinkNoFollow, followLinks ? "stat" : "lstat");

    private static unsafe FileStatus Get(int directoryFd, string path, int flags, string call)
    {
        Statx buffer;
        // STATX_BASIC_STATS
        if (StatxNative(directoryFd, path, flags, 0x7FF, &buffer) != 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            throw new IOException($"{call} {path}: {Marshal.GetPInvokeErrorMessage(errno)}");
        }

        long mtime = (buffer.MtimeSec * 1_000_000_000L) + buffer.MtimeNsec;
        long device = ((long)buffer.RdevMajor << 32) | buffer.RdevMinor;
        return new FileStatus(buffer.Mode, buffer.Uid, buffer.Gid, (long)buffer.Size, mtime, device);
    }

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int StatxNative(int dirfd, string path, int flags, uint mask, Statx* buffer);

    // struct statx from linux/stat.h (256 bytes).
    [StructLayout(LayoutKind.Explicit, Size = 256)]
    private struct Statx
    {
        [FieldOffset(0x14)] public uint Uid;
        [FieldOffset(0x18)] public uint Gid;
        [FieldOffset(0x1C)] public ushort ModeRaw;
        [FieldOffset(0x28)] public ulong Size;
        [FieldOffset(0x70)] public long MtimeSec;
        [FieldOffset(0x78)] public uint MtimeNsec;
        [FieldOffset(0x80)] public uint RdevMajor;
        [FieldOffset(0x84)] public uint RdevMinor;

        public readonly uint Mode => ModeRaw;
    }
}
