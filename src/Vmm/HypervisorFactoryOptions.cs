using Sealpod.Vmm.CloudHypervisor;
using Sealpod.Vmm.Qemu;

namespace Sealpod.Vmm;

/// <summary>Host-level settings shared by every VM the factory creates.</summary>
public sealed record HypervisorFactoryOptions
{
    /// <summary>The runtime's state directory; accelerator verdicts are cached under <c>accel/</c> in it.</summary>
    public required string StateDirectory { get; init; }

    /// <summary>How long the KVM boot test may take before KVM is declared unusable.</summary>
    public TimeSpan BootTestTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Where TEE planning looks at the host (sysfs, CPUID); tests describe other hosts with it.</summary>
    public TeePlannerOptions Tee { get; init; } = new();

    /// <summary>QEMU driver timeouts.</summary>
    public QemuHypervisorOptions Qemu { get; init; } = new();

    /// <summary>Cloud Hypervisor driver timeouts.</summary>
    public ClhHypervisorOptions CloudHypervisor { get; init; } = new();

    /// <summary>Loggers for the drivers.</summary>
    public ILoggerFactory LoggerFactory { get; init; } = NullLoggerFactory.Instance;
}
