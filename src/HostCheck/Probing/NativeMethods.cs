using System.Runtime.InteropServices;

namespace Sealpod.HostCheck.Probing;

/// <summary>The libc calls the probes need; errno is kept (SetLastError) so failures can name the cause.</summary>
internal static partial class NativeMethods
{
    internal const int ORdWr = 2;

    // 02000000 octal on x86-64, arm64 and s390x alike.
    internal const int OCloExec = 0x80000;

    internal const int ROk = 4;

    internal const int XOk = 1;

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    internal static partial int Close(int fd);

    // ioctl is variadic in C; passing the third argument as a pointer-sized integer matches the Linux calling conventions
    // of every architecture Sealpod builds for (no floating-point arguments are involved).
    [LibraryImport("libc", EntryPoint = "ioctl", SetLastError = true)]
    internal static partial int Ioctl(int fd, nuint request, nint argument);

    [LibraryImport("libc", EntryPoint = "access", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int Access(string path, int mode);

    /// <summary>The asm-generic _IOC encoding: direction (2 bits), size (14), type (8), number (8).</summary>
    internal static nuint IoctlNumber(uint direction, char type, uint number, uint size) =>
        (nuint)((direction << 30) | (size << 16) | ((uint)type << 8) | number);

    internal static string LastErrorText() => $"{Marshal.GetLastPInvokeErrorMessage()} (errno {Marshal.GetLastPInvokeError()})";
}
