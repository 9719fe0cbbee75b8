using Microsoft.Extensions.Logging;
using Sealpod.Config;
using Sealpod.Tee.Launch;
using Sealpod.Vmm.Lifecycle;

namespace Sealpod.Vmm.CloudHypervisor;

/// <summary>
/// Cloud Hypervisor as a kind: makes <see cref="ClhHypervisor"/>s, and cleans up after one whose shim was lost, through
/// the pid file the driver records (<see cref="ClhVmFiles.PidFile"/>) and the API socket path in the VMM's command line.
/// </summary>
public sealed class ClhDriver : IHypervisorDriver
{
    /// <inheritdoc />
    public HypervisorKind Kind => HypervisorKind.CloudHypervisor;

    /// <inheritdoc />
    public IHypervisor Create(HypervisorConfig config, TeePlan tee, HypervisorFactoryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (config is not CloudHypervisorConfig clh)
        {
            throw new ArgumentException($"the Cloud Hypervisor driver takes a [hypervisor.clh] section, not {config?.Kind.ToString() ?? "null"}", nameof(config));
        }

        return new ClhHypervisor(clh, tee, options.CloudHypervisor, options.LoggerFactory.CreateLogger<ClhHypervisor>());
    }

    /// <inheritdoc />
    public async Task<OrphanCleanup> CleanupOrphansAsync(string runtimeDirectory, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(runtimeDirectory);
        var files = new ClhVmFiles(runtimeDirectory);
        return await OrphanVm.CleanupAsync(files, [files.PidFile], [], cancellationToken).ConfigureAwait(false);
    }
}
