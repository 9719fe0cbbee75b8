using Sealpod.Tee.Host;
using Sealpod.Vmm.CloudHypervisor;
using Sealpod.Vmm.Qemu;

namespace Sealpod.Vmm;

/// <summary>
/// The one place that turns a <c>[hypervisor.*]</c> section into a driver: it plans the TEE and Init-Data once, above
/// the drivers, which get the plan; and it reaches every driver's cleanup of what a lost instance left behind.
/// </summary>
public static class HypervisorFactory
{
    private static readonly IHypervisorDriver[] Drivers = [new QemuDriver(), new ClhDriver()];

    /// <summary>Creates the driver for one VM.</summary>
    /// <exception cref="HypervisorConfigurationException">
    /// The section names a hypervisor without a driver, or a TEE or Init-Data this host or configuration cannot launch
    /// (the key says which); nothing has been started.
    /// </exception>
    public static IHypervisor Create(HypervisorConfig config, HypervisorFactoryOptions options)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(options);
        var driver = DriverFor(config);
        return driver.Create(config, PlanTee(config, options.Tee), options);
    }

    /// <summary>The driver for a section.</summary>
    /// <exception cref="HypervisorConfigurationException">No driver serves this hypervisor.</exception>
    public static IHypervisorDriver DriverFor(HypervisorConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return Array.Find(Drivers, d => d.Kind == config.Kind)
            ?? throw new HypervisorConfigurationException(
                $"hypervisor.{config.Kind}", "no driver for this hypervisor; use [hypervisor.qemu] or [hypervisor.clh]");
    }

    /// <summary>
    /// Plans how the guest is protected and which Init-Data it gets (<see cref="TeePlanner"/>); host and configuration
    /// problems become configuration errors naming the key.
    /// </summary>
    public static TeePlan PlanTee(HypervisorConfig config, TeePlannerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        var section = "hypervisor." + ConfigChoices.HypervisorKind.NameOf(config.Kind);
        try
        {
            return new TeePlanner(options).Plan(config);
        }
        catch (TeeHostUnsupportedException e)
        {
            throw new HypervisorConfigurationException(section + (config.SevSnpGuest ? ".sev_snp_guest" : ".confidential_guest"), e.Message, e);
        }
        catch (TeeConfigurationException e)
        {
            var problem = e.Key.Length > 0 && e.Message.StartsWith(e.Key + ": ", StringComparison.Ordinal) ? e.Message[(e.Key.Length + 2)..] : e.Message;
            throw new HypervisorConfigurationException(e.Key.Length > 0 ? e.Key : section, problem, e);
        }
    }

    /// <summary>
    /// Asks every driver to clean up what a lost instance left in <paramref name="runtimeDirectory"/>. Every driver,
    /// not the configured one: containerd gives <c>delete</c> no runtime options, so the configuration the VM ran with
    /// is not known there, while each driver recognises its own files.
    /// </summary>
    public static async Task<OrphanCleanup> CleanupOrphansAsync(string runtimeDirectory, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(runtimeDirectory);
        var result = OrphanCleanup.None;
        foreach (var driver in Drivers)
        {
            result = result.Merge(await driver.CleanupOrphansAsync(runtimeDirectory, cancellationToken).ConfigureAwait(false));
        }

        return result;
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
