using Microsoft.Extensions.Logging;
using Sealpod.Config;
using Sealpod.Tee.Launch;
using Sealpod.Vmm.Lifecycle;

namespace Sealpod.Vmm.Qemu;

/// <summary>
/// QEMU as a kind: makes <see cref="QemuHypervisor"/>s, and cleans up after one whose shim was lost. QEMU records its
/// own pid (<c>-pidfile</c>), the driver records virtiofsd's; both command lines name the VM's directory.
/// </summary>
public sealed class QemuDriver : IHypervisorDriver
{
    /// <inheritdoc />
    public HypervisorKind Kind => HypervisorKind.Qemu;

    /// <inheritdoc />
    public IHypervisor Create(HypervisorConfig config, TeePlan tee, HypervisorFactoryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (config is not QemuConfig qemu)
        {
            throw new ArgumentException($"the QEMU driver takes a [hypervisor.qemu] section, not {config?.Kind.ToString() ?? "null"}", nameof(config));
        }

        return new QemuHypervisor(qemu, tee, HypervisorFactory.CreateProbe(qemu.Path, options), options.Qemu, options.LoggerFactory.CreateLogger<QemuHypervisor>());
    }

    /// <inheritdoc />
    public async Task<OrphanCleanup> CleanupOrphansAsync(string runtimeDirectory, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(runtimeDirectory);
        var files = new QemuVmFiles(runtimeDirectory);

        // QEMU first, so it cannot act on the shared directory while its daemon goes.
        return await OrphanVm.CleanupAsync(files, [files.PidFile, files.VirtiofsdPidFile], [VirtiofsdProcess.RunStatePidFile(files.VirtiofsdSocket)], cancellationToken).ConfigureAwait(false);
    }
}
