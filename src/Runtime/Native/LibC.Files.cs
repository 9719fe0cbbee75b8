using System.Runtime.InteropServices;

namespace Sealpod.Runtime.Native;

/// <summary>Descriptor-relative file access: walking a host tree without following links an attacker may plant.</summary>
internal static unsafe partial class LibC
{
    public const int O_DIRECTORY = 0x10000;
    public const int O_NOFOLLOW = 0x20000;

    [LibraryImport("libc", EntryPoint = "openat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int OpenAt(int directoryFd, string path, int flags, int mode);

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Statx(int directoryFd, string path, int flags, uint mask, Statx* buffer);

    [LibraryImport("libc", EntryPoint = "readlinkat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint ReadLinkAt(int directoryFd, string path, byte* buffer, nuint size);
}
