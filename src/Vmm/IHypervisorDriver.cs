namespace Sealpod.Vmm;

/// <summary>
/// One hypervisor as a kind rather than as one VM: makes the instances that run VMs, and cleans up after an instance
/// whose owner is gone (a shim that was killed leaves its hypervisor, daemons, sockets and pid files behind). Each driver
/// knows its own files and processes; nobody else reads them.
/// </summary>
public interface IHypervisorDriver
{
    /// <summary>The configuration section this driver serves.</summary>
    HypervisorKind Kind { get; }

    /// <summary>Creates the instance for one VM from its section and the TEE planned for it above the driver.</summary>
    /// <exception cref="ArgumentException"><paramref name="config"/> is another hypervisor's section.</exception>
    IHypervisor Create(HypervisorConfig config, TeePlan tee, HypervisorFactoryOptions options);

    /// <summary>
    /// Kills what an instance of this driver left running in <paramref name="runtimeDirectory"/> (found through the pid
    /// files it records, and only while the recorded process still names that directory, since a pid may have been
    /// reused) and removes the files it made there; the directory itself goes when nothing else is left in it.
    /// A directory this driver never used is left as it is.
    /// </summary>
    Task<OrphanCleanup> CleanupOrphansAsync(string runtimeDirectory, CancellationToken cancellationToken = default);
}
