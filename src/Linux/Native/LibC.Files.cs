namespace Sealpod.Linux.Native;

/// <summary>Descriptor-relative file access (walking a tree without following links someone may plant), links, FIFOs and nodes.</summary>
public static unsafe partial class LibC
{
    public const long SYS_openat2 = 437; // Same number on x86-64, arm64 and s390x (the generic table).
    public const ulong RESOLVE_NO_MAGICLINKS = 0x02;
    public const ulong RESOLVE_NO_SYMLINKS = 0x04;
    public const ulong RESOLVE_BENEATH = 0x08;
    public const int AT_FDCWD = -100;
    public const int AT_SYMLINK_NOFOLLOW = 0x100;
    public const int AT_REMOVEDIR = 0x200;
    public const int AT_EMPTY_PATH = 0x1000;

    public const int R_OK = 4;
    public const int X_OK = 1;

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

    [LibraryImport(Library, EntryPoint = "openat", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial int OpenAt(int directoryFd, string path, int flags, int mode);

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

    [LibraryImport(Library, EntryPoint = "readlink", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial nint ReadLink(string path, byte* buffer, nuint size);

    [LibraryImport(Library, EntryPoint = "readlinkat", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial nint ReadLinkAt(int directoryFd, string path, byte* buffer, nuint size);

    // Directory streams: glibc's 64-bit struct dirent is d_ino, d_off (8 bytes each), d_reclen (2), d_type (1),
    // then the name, on every 64-bit architecture Sealpod runs on.
    public const int DirentNameOffset = 19;
    public const byte DT_DIR = 4;
    public const byte DT_LNK = 10;
    public const byte DT_UNKNOWN = 0;

    /// <summary>fdopendir(3): the stream owns <paramref name="fd"/> from then on (closedir closes it).</summary>
    [LibraryImport(Library, EntryPoint = "fdopendir", SetLastError = true)]
    public static partial nint FdOpenDir(int fd);

    /// <summary>readdir(3): null at the end (errno 0) or on an error (errno set).</summary>
    [LibraryImport(Library, EntryPoint = "readdir", SetLastError = true)]
    public static partial byte* ReadDir(nint directory);

    [LibraryImport(Library, EntryPoint = "closedir", SetLastError = true)]
    public static partial int CloseDir(nint directory);

    [LibraryImport(Library, EntryPoint = "dup", SetLastError = true)]
    public static partial int Dup(int fd);

    [LibraryImport(Library, EntryPoint = "mkfifo", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial int MkFifo(string path, int mode);

    [LibraryImport(Library, EntryPoint = "mknod", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial int MkNod(string path, uint mode, ulong device);

    [LibraryImport(Library, EntryPoint = "access", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial int Access(string path, int mode);

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

    /// <summary>A symbolic link's target as raw bytes (readlink(2) without the lstat/stat pair FileInfo adds).</summary>
    public static int ReadLink(string path, Span<byte> buffer)
    {
        fixed (byte* pointer = buffer)
        {
            nint length = ReadLink(path, pointer, (nuint)buffer.Length);
            return length >= 0 ? (int)length : throw SystemCallException.FromLastError("readlink", path);
        }
    }
}
