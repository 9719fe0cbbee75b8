namespace Sealpod.Linux.Native;

/// <summary>ioctl(2): terminals, /dev/kvm, /dev/sev and vhost-vsock.</summary>
public static partial class LibC
{
    public const nuint TIOCSWINSZ = 0x5414;
    public const nuint TIOCGWINSZ = 0x5413;

    /// <summary>With a non-zero argument: wait until all output was transmitted (what tcdrain(3) does).</summary>
    public const nuint TCSBRK = 0x5409;

    /// <summary><c>_IOW(VHOST_VIRTIO 0xAF, 0x60, __u64)</c> from linux/vhost.h.</summary>
    public const nuint VHOST_VSOCK_SET_GUEST_CID = 0x4008AF60;

    /// <summary><c>_IOR('v', 1, long)</c> from linux/fs.h: the inode's generation number (an int on every filesystem that answers).</summary>
    public const nuint FS_IOC_GETVERSION = 0x80087601;

    [StructLayout(LayoutKind.Sequential)]
    public struct WinSize
    {
        public ushort Rows;
        public ushort Columns;
        public ushort XPixels;
        public ushort YPixels;
    }

    // ioctl is variadic; a pointer or pointer-sized integer third argument is passed like a fixed one on
    // every Linux ABI .NET supports (no floating-point arguments are involved). Pointers are passed as nint.
    [LibraryImport(Library, EntryPoint = "ioctl", SetLastError = true)]
    public static partial int Ioctl(int fd, nuint request, nint argument);

    /// <summary>The asm-generic _IOC encoding: direction (2 bits), size (14), type (8), number (8).</summary>
    public static nuint IoctlNumber(uint direction, char type, uint number, uint size) =>
        (nuint)((direction << 30) | (size << 16) | ((uint)type << 8) | number);
}
