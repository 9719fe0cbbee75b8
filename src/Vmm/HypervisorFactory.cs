using Microsoft.Extensions.Logging;
using Sealpod.Config;
using Sealpod.Vmm.Acceleration;
using Sealpod.Vmm.CloudHypervisor;
using Sealpod.Vmm.Qemu;

namespace Sealpod.Vmm;

/// <summary>The one place that turns a <c>[hypervisor.*]</c> section into a driver.</summary>
public static class HypervisorFactory
{
    /// <summary>Creates the driver for one VM.</summary>
    /// <exception cref="HypervisorConfigurationException">The section names a hypervisor without a driver.</exception>
    public static IHypervisor Create(HypervisorConfig config, HypervisorFactoryOptions options)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(options);
        return config switch
        {
            QemuConfig qemu => new QemuHypervisor(qemu, CreateProbe(qemu.Path, options), options.Qemu, options.LoggerFactory.CreateLogger<QemuHypervisor>()),
            CloudHypervisorConfig clh => new ClhHypervisor(clh, options.CloudHypervisor, options.LoggerFactory.CreateLogger<ClhHypervisor>()),
            _ => throw new HypervisorConfigurationException(
                $"hypervisor.{config.Kind}", "no driver for this hypervisor; use [hypervisor.qemu] or [hypervisor.clh]"),
        };
    }

    /// <summary>The accelerator probe the factory gives a driver: PVM filter, boot test with the VMM binary, cached verdicts.</summary>
    public static AcceleratorProbe CreateProbe(string qemuPath, HypervisorFactoryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var bootTest = new QemuBootTest(qemuPath, options.BootTestTimeout, options.LoggerFactory.CreateLogger<QemuBootTest>());
        return new AcceleratorProbe(
            new AcceleratorProbeOptions { CacheDirectory = Path.Combine(options.StateDirectory, "accel") },
            bootTest,
            options.LoggerFactory.CreateLogger<AcceleratorProbe>());
    }
}
