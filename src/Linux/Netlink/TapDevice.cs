namespace Sealpod.Linux.Netlink;

/// <summary>
/// A tap interface and the /dev/net/tun descriptor that is its queue. The tap lives in the network namespace of
/// the thread that created it and only as long as a descriptor to it is open (not persistent), so handing the
/// descriptor to QEMU ties the tap's life to the VM's. The descriptor is close-on-exec: whoever spawns QEMU
/// passes it on explicitly. Frames carry a virtio-net header (IFF_VNET_HDR) in front, as virtio-net expects.
/// </summary>
public sealed class TapDevice : IDisposable
{
    private const string TunDevice = "/dev/net/tun";

    private TapDevice(string name, SafeFileHandle handle)
    {
        Name = name;
        Handle = handle;
    }

    /// <summary>The interface name the kernel gave the tap (the requested one, or tapN for a pattern).</summary>
    public string Name { get; }

    /// <summary>The tun descriptor; disposing it removes the tap unless another holder keeps it open.</summary>
    public SafeFileHandle Handle { get; }

    /// <summary>
    /// Creates a tap named <paramref name="name"/> ("tap0_kata", or a pattern like "tap%d") in the calling thread's
    /// network namespace. With <paramref name="multiQueue"/> further queues may attach under the same name.
    /// </summary>
    public static unsafe TapDevice Create(string name, bool multiQueue = false)
    {
        ValidateName(name);
        var fd = SystemCallException.ThrowIfFailed(LibC.Open(TunDevice, LibC.O_RDWR | LibC.O_CLOEXEC, 0), "open", TunDevice);
        var handle = new SafeFileHandle(fd, ownsHandle: true);
        try
        {
            var request = default(LibC.IfReqFlags);
            var nameBytes = new Span<byte>(request.Name, LibC.IFNAMSIZ);
            Encoding.ASCII.GetBytes(name, nameBytes);
            request.Flags = (short)(LibC.IFF_TAP | LibC.IFF_NO_PI | LibC.IFF_VNET_HDR | (multiQueue ? LibC.IFF_MULTI_QUEUE : 0));
            SystemCallException.ThrowIfFailed(LibC.Ioctl(fd, LibC.TUNSETIFF, (nint)(&request)), "ioctl TUNSETIFF", name);

            // A tap left persistent by an earlier holder would outlive this one; this owner's tap goes with it.
            SystemCallException.ThrowIfFailed(LibC.Ioctl(fd, LibC.TUNSETPERSIST, 0), "ioctl TUNSETPERSIST", name);

            var end = nameBytes.IndexOf((byte)0);
            return new TapDevice(Encoding.ASCII.GetString(end < 0 ? nameBytes : nameBytes[..end]), handle);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    public void Dispose() => Handle.Dispose();

    private static void ValidateName(string name)
    {
        if (name.Length is 0 or >= LibC.IFNAMSIZ || name is "." or ".." || name.Any(c => c is '/' or ':' || char.IsWhiteSpace(c) || c > 0x7E || c < 0x21))
        {
            throw new ArgumentException($"tap name '{name}': expected 1 to {LibC.IFNAMSIZ - 1} printable ASCII characters without '/', ':' or spaces", nameof(name));
        }
    }
}
