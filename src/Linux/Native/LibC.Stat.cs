namespace Sealpod.Linux.Native;

/// <summary>statx(2): one structure layout on every architecture, unlike struct stat.</summary>
public static unsafe partial class LibC
{
    public const uint STATX_INO = 0x100;
    public const uint STATX_BASIC_STATS = 0x7ff;
    public const uint STATX_BTIME = 0x800;
    public const uint STATX_MNT_ID = 0x1000;

    public const uint S_IFMT = 0xF000;
    public const uint S_IFIFO = 0x1000;
    public const uint S_IFCHR = 0x2000;
    public const uint S_IFDIR = 0x4000;
    public const uint S_IFBLK = 0x6000;
    public const uint S_IFREG = 0x8000;
    public const uint S_IFLNK = 0xA000;

    [LibraryImport(Library, EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial int Statx(int directoryFd, string path, int flags, uint mask, Statx* buffer);
}
