using System.Runtime.InteropServices;

namespace Sealpod.Agent.Native;

internal static unsafe partial class LibC
{
    public const int AT_FDCWD = -100;
    public const int AT_SYMLINK_NOFOLLOW = 0x100;
    public const uint STATX_BASIC_STATS = 0x7ff;

    // struct statx has one layout on every architecture, unlike struct stat.
    public const int StatxSize = 256;
    public const int StatxModeOffset = 28;
    public const int StatxRdevMajorOffset = 128;
    public const int StatxRdevMinorOffset = 132;

    public const uint S_IFMT = 0xF000;
    public const uint S_IFCHR = 0x2000;
    public const uint S_IFBLK = 0x6000;
    public const uint S_IFDIR = 0x4000;
    public const uint S_IFREG = 0x8000;
    public const uint S_IFLNK = 0xA000;
    public const uint S_IFIFO = 0x1000;

    [LibraryImport(Library, EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial int Statx(int directoryFd, string path, int flags, uint mask, byte* buffer);
}
