using Sealpod.Linux.Native;

namespace Sealpod.Vmm.Acceleration;

/// <summary>
/// Checks that /dev/kvm is a working KVM device: it opens, speaks API version 12 and creates a VM.
/// Necessary for KVM, not sufficient: a PVM-based /dev/kvm passes this and still hangs stock kernels.
/// </summary>
internal static class KvmProbe
{
    private const int ExpectedApiVersion = 12;

    // _IO(KVMIO=0xAE, n)
    private const nuint KvmGetApiVersion = 0xAE00;
    private const nuint KvmCreateVm = 0xAE01;

    /// <summary>Returns null when KVM works, otherwise why not.</summary>
    public static string? Check(string devicePath)
    {
        if (!File.Exists(devicePath))
        {
            return $"{devicePath} does not exist";
        }

        var fd = LibC.Open(devicePath, LibC.O_RDWR | LibC.O_CLOEXEC, 0);
        if (fd < 0)
        {
            return $"cannot open {devicePath}: {Marshal.GetLastPInvokeErrorMessage()}";
        }

        try
        {
            var version = LibC.Ioctl(fd, KvmGetApiVersion, 0);
            if (version < 0)
            {
                return $"{devicePath} is not a KVM device (KVM_GET_API_VERSION: {Marshal.GetLastPInvokeErrorMessage()})";
            }

            if (version != ExpectedApiVersion)
            {
                return $"{devicePath} speaks KVM API version {version}, expected {ExpectedApiVersion}";
            }

            var vm = LibC.Ioctl(fd, KvmCreateVm, 0);
            if (vm < 0)
            {
                return $"KVM_CREATE_VM on {devicePath} failed: {Marshal.GetLastPInvokeErrorMessage()}";
            }

            LibC.Close(vm);
            return null;
        }
        finally
        {
            LibC.Close(fd);
        }
    }
}
