namespace Sealpod.Config;

/// <summary><c>block_device_aio</c>: QEMU's I/O mechanism for block devices.</summary>
public enum BlockDeviceAio
{
    /// <summary><c>io_uring</c> (Kata's default).</summary>
    IoUring,

    /// <summary><c>native</c>: Linux AIO.</summary>
    Native,

    /// <summary><c>threads</c>: thread pool.</summary>
    Threads,
}
