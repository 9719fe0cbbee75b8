namespace Sealpod.Vmm.Qemu;

public static partial class QemuCommandLineFactory
{
    /// <summary>
    /// The measured part of a confidential launch of <paramref name="config"/>: firmware, kernel, initrd, the kernel
    /// command line and vCPUs, from the same code <see cref="Create"/> renders them with (and the agent options the
    /// sandbox adds, <see cref="GuestKernelParameters.ForAgent"/>), so <c>sealpod measure</c> hashes the exact command
    /// line QEMU gets. TEE guests run under KVM.
    /// </summary>
    public static QemuMeasuredBoot MeasuredBoot(QemuConfig config, AgentConfig agent, TeeLaunch tee, HostResources host)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(agent);
        ArgumentNullException.ThrowIfNull(tee);
        ArgumentNullException.ThrowIfNull(host);
        var spec = new VmSpec
        {
            SandboxId = "measure",
            RuntimeDirectory = "/",
            AgentKernelParameters = GuestKernelParameters.ForAgent(agent).Select(p => p.ToString()).ToArray(),
        };
        var maxVcpus = MaxVcpus(config, host);
        var vcpus = Math.Min(Vcpus(config, host), maxVcpus);

        // A confidential guest with a root disk image is refused here as at launch: its measurement would leave the disk out.
        var rootDisk = RootDisk(config, tee, ccw: false);
        return new QemuMeasuredBoot(
            config.Firmware,
            config.Kernel,
            config.Initrd.Length > 0 ? config.Initrd : null,
            string.Join(' ', KernelParameters(config, spec, maxVcpus, tee, s390: false, tcgLocalApic: false, rootDisk)),
            vcpus,
            CpuModelFor(Accelerator.Kvm, tee).Name);
    }
}
