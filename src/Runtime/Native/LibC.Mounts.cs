namespace Sealpod.Runtime.Native;

/// <summary>mount(2) flags for bind mounts and propagation (virtio-fs sharing).</summary>
internal static partial class LibC
{
    public const int O_PATH = 0x200000;
    public const int O_CREAT = 0x40;
    public const int O_EXCL = 0x80;

    public const ulong MS_REMOUNT = 0x20;
    public const ulong MS_MOVE = 0x2000;
    public const ulong MS_PRIVATE = 1 << 18;
    public const ulong MS_SLAVE = 1 << 19;
    public const ulong MS_SHARED = 1 << 20;
}
