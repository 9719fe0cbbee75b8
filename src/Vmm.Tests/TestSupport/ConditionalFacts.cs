namespace Sealpod.Vmm.Tests.TestSupport;

/// <summary>
/// Runs only on a host whose /dev/kvm works but is PVM-based (module kvm_pvm), with a guest kernel: the one kind of
/// host where KVM creates VMs yet cannot boot a stock kernel.
/// </summary>
public sealed class PvmKvmHostFactAttribute : FactAttribute
{
    public PvmKvmHostFactAttribute()
    {
        if (KvmProbe.Check("/dev/kvm") is { } problem)
        {
            Skip = "KVM device not usable here: " + problem;
        }
        else if (!Directory.Exists("/sys/module/kvm_pvm"))
        {
            Skip = "not a PVM host (module kvm_pvm is not loaded)";
        }
        else if (GuestKernel.Path is null)
        {
            Skip = "no guest kernel: set SEALPOD_GUEST_KERNEL or build build/guest/vmlinuz";
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

    private static string? Find()
    {
        var configured = Environment.GetEnvironmentVariable("SEALPOD_GUEST_KERNEL");
        if (!string.IsNullOrEmpty(configured) && File.Exists(configured))
        {
            return configured;
        }

        var built = Repository.Combine("build", "guest", "vmlinuz");
        return File.Exists(built) ? built : null;
    }
}
