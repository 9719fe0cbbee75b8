using System.Runtime.InteropServices;
using Sealpod.Linux.Native;

namespace Sealpod.AgentClient.Transport;

/// <summary>
/// Finds a guest context id no other VM on this host uses, as Kata's FindContextID does: try ids with
/// VHOST_VSOCK_SET_GUEST_CID on /dev/vhost-vsock until the kernel accepts one. The probe fd is closed
/// again, so QEMU (which opens the device itself for <c>guest-cid=N</c>) can still lose a race to
/// another VM; the driver retries with a new id when QEMU reports the id in use.
/// </summary>
public sealed class VsockContextIdAllocator(string devicePath = VsockContextIdAllocator.DefaultDevicePath)
{
    public const string DefaultDevicePath = "/dev/vhost-vsock";

    // 0-2 are reserved (hypervisor, local, host); Kata also avoids the top of the range.
    private const uint FirstGuestContextId = 3;
    private const uint LastGuestContextId = 0x7FFF_FFFF;
    private const int MaxAttempts = 64;

    public bool IsAvailable => File.Exists(devicePath);

    /// <exception cref="IOException">The device cannot be opened or no free id was found.</exception>
    public uint Allocate(Random? random = null)
    {
        random ??= Random.Shared;
        using var device = File.OpenHandle(devicePath, FileMode.Open, FileAccess.ReadWrite);
        int lastErrno = 0;
        for (int i = 0; i < MaxAttempts; i++)
        {
            uint cid = (uint)random.NextInt64(FirstGuestContextId, LastGuestContextId + 1L);
            lastErrno = TrySet(device, cid);
            if (lastErrno == 0)
            {
                return cid;
            }

            if (lastErrno != LibC.EADDRINUSE)
            {
                break;
            }
        }

        throw new IOException($"{devicePath}: no free vsock context id after {MaxAttempts} attempts (errno {lastErrno}: {Marshal.GetPInvokeErrorMessage(lastErrno)})");
    }

    private static unsafe int TrySet(Microsoft.Win32.SafeHandles.SafeFileHandle device, uint contextId)
    {
        ulong value = contextId;
        int rc = LibC.Ioctl((int)device.DangerousGetHandle(), LibC.VHOST_VSOCK_SET_GUEST_CID, (nint)(&value));
        return rc == 0 ? 0 : Marshal.GetLastPInvokeError();
    }
}
