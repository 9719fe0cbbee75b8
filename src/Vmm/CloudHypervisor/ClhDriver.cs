namespace Sealpod.Vmm.CloudHypervisor;

/// <summary>
/// Cloud Hypervisor as a kind: makes <see cref="ClhHypervisor"/>s, and cleans up after one whose shim was lost, through
/// the pid file the driver records (<see cref="ClhVmFiles.PidFile"/>) and the API socket path in the VMM's command line.
/// </summary>
public sealed class ClhDriver() : HypervisorDriver<CloudHypervisorConfig>(HypervisorKind.CloudHypervisor, "Cloud Hypervisor", "clh")
{
    private protected override IHypervisor CreateFor(CloudHypervisorConfig config, TeePlan tee, HypervisorFactoryOptions options) =>
        new ClhHypervisor(config, tee, options.CloudHypervisor, options.LoggerFactory.CreateLogger<ClhHypervisor>());

    private protected override IVmFiles FilesIn(string runtimeDirectory) => new ClhVmFiles(runtimeDirectory);
}
