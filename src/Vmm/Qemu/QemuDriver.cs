namespace Sealpod.Vmm.Qemu;

/// <summary>
/// QEMU as a kind: makes <see cref="QemuHypervisor"/>s, and cleans up after one whose shim was lost. QEMU records its
/// own pid (<c>-pidfile</c>), the driver records virtiofsd's; both command lines name the VM's directory.
/// </summary>
public sealed class QemuDriver() : HypervisorDriver<QemuConfig>(HypervisorKind.Qemu, "QEMU", "qemu")
{
    private protected override IHypervisor CreateFor(QemuConfig config, TeePlan tee, HypervisorFactoryOptions options) =>
        new QemuHypervisor(config, tee, HypervisorFactory.CreateProbe(config.Path, options), options.Qemu, options.LoggerFactory.CreateLogger<QemuHypervisor>());

    private protected override IVmFiles FilesIn(string runtimeDirectory) => new QemuVmFiles(runtimeDirectory);
}
