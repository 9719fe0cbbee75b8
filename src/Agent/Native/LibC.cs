using System.Runtime.InteropServices;

namespace Sealpod.Agent.Native;

/// <summary>
/// The libc entry points the agent needs and .NET does not wrap: process spawning and reaping,
/// mounts, epoll, ancillary data, terminal ioctls and a few guest-wide settings. Split by concern
/// into partial files; every import sets the last error so callers can report errno.
/// </summary>
internal static unsafe partial class LibC
{
    // glibc: libc.so.6. The NativeAOT build links these directly (DirectPInvoke in the project).
    private const string Library = "libc";

    public const int EINTR = 4;
    public const int EAGAIN = 11;
    public const int ECHILD = 10;
    public const int ESRCH = 3;
    public const int ENOENT = 2;
    public const int EEXIST = 17;
    public const int EINVAL = 22;
    public const int EBUSY = 16;
    public const int EIO = 5;
    public const int EPIPE = 32;
    public const int ENXIO = 6;
    public const int ENODEV = 19;

    public const int O_RDONLY = 0x0;
    public const int O_WRONLY = 0x1;
    public const int O_RDWR = 0x2;
    public const int O_CREAT = 0x40;
    public const int O_NOCTTY = 0x100;
    public const int O_NONBLOCK = 0x800;
    public const int O_DIRECTORY = 0x10000;
    public const int O_NOFOLLOW = 0x20000;
    public const int O_CLOEXEC = 0x80000;
    public const int O_PATH = 0x200000;

    public const int F_GETFL = 3;
    public const int F_SETFL = 4;
    public const int F_DUPFD_CLOEXEC = 1030;

    [LibraryImport(Library, EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);

    [LibraryImport(Library, EntryPoint = "read", SetLastError = true)]
    public static partial nint Read(int fd, byte* buffer, nuint count);

    [LibraryImport(Library, EntryPoint = "write", SetLastError = true)]
    public static partial nint Write(int fd, byte* buffer, nuint count);

    [LibraryImport(Library, EntryPoint = "pipe2", SetLastError = true)]
    public static partial int Pipe2(int* fds, int flags);

    [LibraryImport(Library, EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial int Open(string path, int flags, int mode);

    // fcntl is variadic; with an int third argument the x86-64 and arm64 Linux calling conventions
    // pass it exactly like a fixed parameter.
    [LibraryImport(Library, EntryPoint = "fcntl", SetLastError = true)]
    public static partial int Fcntl(int fd, int command, int argument);

    [LibraryImport(Library, EntryPoint = "getpid")]
    public static partial int GetPid();

    [LibraryImport(Library, EntryPoint = "sync")]
    public static partial void Sync();
}
