using Sealpod.Vmm.Acceleration;

namespace Sealpod.Vmm.Tests.TestSupport;

/// <summary>Runs only where /dev/kvm opens and creates VMs (it need not boot anything).</summary>
public sealed class KvmDeviceFactAttribute : FactAttribute
{
    public KvmDeviceFactAttribute()
    {
        if (KvmProbe.Check("/dev/kvm") is { } problem)
        {
            Skip = "KVM device not usable here: " + problem;
        }
    }
}

/// <summary>
/// Runs only when a Linux guest kernel is available: SEALPOD_GUEST_KERNEL, or the guest image
/// build's output (build/guest/vmlinuz).
/// </summary>
public sealed class GuestKernelFactAttribute : FactAttribute
{
    public GuestKernelFactAttribute()
    {
        if (GuestKernel.Path is null)
        {
            Skip = "no guest kernel: set SEALPOD_GUEST_KERNEL or build build/guest/vmlinuz";
        }
    }
}

public static class GuestKernel
{
    public static string? Path { get; } = Find();

    private static string? Find([System.Runtime.CompilerServices.CallerFilePath] string file = "")
    {
        var configured = Environment.GetEnvironmentVariable("SEALPOD_GUEST_KERNEL");
        if (!string.IsNullOrEmpty(configured) && File.Exists(configured))
        {
            return configured;
        }

        var built = System.IO.Path.GetFullPath(System.IO.Path.Combine(System.IO.Path.GetDirectoryName(file)!, "..", "..", "..", "build", "guest", "vmlinuz"));
        return File.Exists(built) ? built : null;
    }
}
