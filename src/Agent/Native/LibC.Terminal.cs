using System.Runtime.InteropServices;

namespace Sealpod.Agent.Native;

internal static unsafe partial class LibC
{
    public const nuint TIOCSWINSZ = 0x5414;
    public const nuint TIOCGWINSZ = 0x5413;

    /// <summary>With a non-zero argument: wait until all output was transmitted (what tcdrain(3) does).</summary>
    public const nuint TCSBRK = 0x5409;

    [StructLayout(LayoutKind.Sequential)]
    public struct WinSize
    {
        public ushort Rows;
        public ushort Columns;
        public ushort XPixels;
        public ushort YPixels;
    }

    // ioctl is variadic; a pointer third argument is passed like a fixed one.
    [LibraryImport(Library, EntryPoint = "ioctl", SetLastError = true)]
    public static partial int Ioctl(int fd, nuint request, void* argument);
}
