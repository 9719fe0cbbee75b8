using System.Runtime.InteropServices;

namespace Sealpod.Agent.Native;

internal static unsafe partial class LibC
{
    public const int O_TRUNC = 0x200;
    public const long SYS_openat2 = 437; // Same number on x86-64 and arm64 (the generic table).
    public const ulong RESOLVE_NO_MAGICLINKS = 0x02;
    public const ulong RESOLVE_NO_SYMLINKS = 0x04;
    public const ulong RESOLVE_BENEATH = 0x08;
    public const int AT_REMOVEDIR = 0x200;
    public const int EXDEV = 18;
    public const int ELOOP = 40;
    public const int ENOTDIR = 20;

    /// <summary>struct open_how for openat2(2).</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct OpenHow
    {
        public ulong Flags;
        public ulong Mode;
        public ulong Resolve;
    }

    // glibc has no openat2 wrapper before 2.40; syscall(2) is variadic, and its long arguments are
    // passed like fixed ones on Linux ABIs.
    [LibraryImport(Library, EntryPoint = "syscall", SetLastError = true)]
    public static partial long Syscall4(long number, long arg1, void* arg2, void* arg3, nuint arg4);

    [LibraryImport(Library, EntryPoint = "mkdirat", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial int MkdirAt(int directoryFd, string path, uint mode);

    [LibraryImport(Library, EntryPoint = "fchmod", SetLastError = true)]
    public static partial int Fchmod(int fd, uint mode);

    [LibraryImport(Library, EntryPoint = "fchown", SetLastError = true)]
    public static partial int Fchown(int fd, uint owner, uint group);

    [LibraryImport(Library, EntryPoint = "fchownat", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial int FchownAt(int directoryFd, string path, uint owner, uint group, int flags);

    [LibraryImport(Library, EntryPoint = "renameat", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial int RenameAt(int oldDirectoryFd, string oldPath, int newDirectoryFd, string newPath);

    [LibraryImport(Library, EntryPoint = "symlinkat", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial int SymlinkAt(string target, int directoryFd, string linkPath);

    [LibraryImport(Library, EntryPoint = "unlinkat", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial int UnlinkAt(int directoryFd, string path, int flags);

    /// <summary>openat2 relative to <paramref name="directoryFd"/>; returns the fd or -1 with errno set.</summary>
    public static int OpenAt2(int directoryFd, string path, int flags, uint mode, ulong resolve)
    {
        var how = new OpenHow { Flags = (ulong)(uint)flags, Mode = mode, Resolve = resolve };
        var bytes = System.Text.Encoding.UTF8.GetBytes(path + "\0");
        fixed (byte* pathPointer = bytes)
        {
            return (int)Syscall4(SYS_openat2, directoryFd, pathPointer, &how, (nuint)sizeof(OpenHow));
        }
    }
}
