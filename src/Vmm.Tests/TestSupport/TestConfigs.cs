namespace Sealpod.Vmm.Tests.TestSupport;

/// <summary>Configurations used across tests, written out in full so the golden fixtures do not move with defaults elsewhere.</summary>
public static class TestConfigs
{
    /// <summary>The fixed host the golden fixtures are rendered for.</summary>
    public static HostResources Host { get; } = new(Cpus: 2, MemoryMiB: 24000);

    /// <summary>The VM request of sandbox <paramref name="id"/>, in the runtime directory the golden fixtures name.</summary>
    public static VmSpec Spec(string id) => new() { SandboxId = id, RuntimeDirectory = $"/run/sealpod/vm/{id}" };

    /// <summary>
    /// The launch request the fixtures are rendered from unless a test says otherwise: sandbox <paramref name="id"/>
    /// (<see cref="Spec"/> unless <paramref name="spec"/> is given) under TCG, the agent on virtio-serial in the VM's
    /// directory, on <see cref="Host"/>.
    /// </summary>
    public static QemuLaunchRequest Request(string id, QemuConfig config, VmSpec? spec = null)
    {
        var files = new QemuVmFiles($"/run/sealpod/vm/{id}");
        return new QemuLaunchRequest
        {
            Config = config,
            Spec = spec ?? Spec(id),
            Accelerator = Accelerator.Tcg,
            Files = files,
            AgentEndpoint = new VirtioSerialAgentEndpoint(files.AgentSocket, VirtioSerialAgentEndpoint.DefaultPortName),
            Host = Host,
        };
    }

    /// <summary>Kata's configuration-qemu-coco-dev.toml values that matter for the command line.</summary>
    public static QemuConfig CocoDev { get; } = new()
    {
        Path = "/usr/bin/qemu-system-x86_64",
        Kernel = "/usr/share/sealpod/vmlinuz",
        Initrd = "/usr/share/sealpod/sealpod-initrd.img",
        MachineType = QemuMachineType.Q35,
        CpuFeatures = "pmu=off",
        DefaultVcpus = 1,
        DefaultMaxVcpus = 0,
        DefaultMemoryMiB = 2048,
        MemorySlots = 10,
        DefaultMaxMemoryMiB = 0,
        DefaultBridges = 1,
        BlockDeviceDriver = BlockDeviceDriver.VirtioScsi,
        BlockDeviceAio = BlockDeviceAio.Threads,
        EntropySource = "/dev/urandom",
        KernelParams = KernelParameters.Empty,
        DisableGuestSeLinux = true,
    };

    /// <summary>A configuration for real QEMU runs on this machine: tiny VM, the stub kernel.</summary>
    public static QemuConfig ForStubVm(string kernel, BlockDeviceDriver driver = BlockDeviceDriver.VirtioScsi) => CocoDev with
    {
        Kernel = kernel,
        Initrd = string.Empty,
        DefaultMemoryMiB = 128,
        MemorySlots = 0,
        BlockDeviceDriver = driver,
        BlockDeviceAio = BlockDeviceAio.Threads,
    };
}
