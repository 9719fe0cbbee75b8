namespace Sealpod.Runtime.Rootfs;

/// <summary>lstat(2) of one path: .NET's FileSystemInfo hides owners and device numbers, which an image must keep.</summary>
internal readonly record struct FileStatus(uint Mode, uint Uid, uint Gid, long Size, long ModifiedNanoseconds, long DeviceNumber)
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
    public static FileStatus LstatAt(int directoryFd, string name) => Get(directoryFd, name, LibC.AT_SYMLINK_NOFOLLOW, "lstat");

    /// <summary>fstat(2) of an open descriptor.</summary>
    public static FileStatus OfDescriptor(int fd) => Get(fd, string.Empty, LibC.AT_EMPTY_PATH, "fstat");

    private static FileStatus Get(string path, bool followLinks) =>
        Get(LibC.AT_FDCWD, path, followLinks ? 0 : LibC.AT_SYMLINK_NOFOLLOW, followLinks ? "stat" : "lstat");

    private static unsafe FileStatus Get(int directoryFd, string path, int flags, string call)
    {
        Statx buffer;
        if (LibC.Statx(directoryFd, path, flags, LibC.STATX_BASIC_STATS, &buffer) != 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            throw new IOException($"{call} {path}: {Marshal.GetPInvokeErrorMessage(errno)}");
        }

        long mtime = (buffer.ModifiedSeconds * 1_000_000_000L) + buffer.ModifiedNanoseconds;
        long device = ((long)buffer.RdevMajor << 32) | buffer.RdevMinor;
        return new FileStatus(buffer.Mode, buffer.Uid, buffer.Gid, (long)buffer.Size, mtime, device);
    }
}
