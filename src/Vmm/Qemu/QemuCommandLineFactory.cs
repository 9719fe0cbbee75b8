using Sealpod.Config;
using Sealpod.Vmm.Acceleration;
using Sealpod.Vmm.Qemu.Args;
using ConfigBlockDriver = Sealpod.Config.BlockDeviceDriver;

namespace Sealpod.Vmm.Qemu;

/// <summary>
/// Maps Kata's <c>[hypervisor.qemu]</c> settings plus one sandbox's <see cref="VmSpec"/> to a
/// <see cref="QemuCommandLine"/>. Pure: the same request always gives the same argv, which the
/// golden fixtures rely on. What the driver cannot do yet fails here, naming the key.
/// </summary>
public static class QemuCommandLineFactory
{
    private const string Section = "hypervisor.qemu";
    private const string ConsoleChardev = "console";
    private const string QmpChardev = "qmp";
    private const string AgentChardev = "agent";
    private const string SerialControllerId = "serial0";

    // Kata's defaults for a fast, quiet, deterministic guest boot (runtime/virtcontainers/qemu_arch_base.go),
    // minus the ones that only matter for images or the legacy PC machine.
    private static readonly string[] BaseKernelParameters =
    [
        "tsc=reliable", "no_timer_check", "rcupdate.rcu_expedited=1",
        "i8042.direct=1", "i8042.dumbkbd=1", "i8042.nopnp=1", "i8042.noaux=1",
        "noreplace-smp", "reboot=k", "cryptomgr.notests", "net.ifnames=0",
    ];

    /// <summary>Builds the command line for <paramref name="request"/>.</summary>
    /// <exception cref="HypervisorConfigurationException">A setting this driver does not support.</exception>
    public static QemuCommandLine Create(QemuLaunchRequest request) => Plan(request).CommandLine;

    internal static QemuLaunchPlan Plan(QemuLaunchRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var config = request.Config;
        var spec = request.Spec;
        spec.Validate();
        RejectUnsupported(config);

        var maxVcpus = MaxVcpus(config, request.Host);
        var vcpus = Math.Min(Vcpus(config, request.Host), maxVcpus);
        var bridges = Bridges(config);
        var layout = new QemuDeviceLayout(BlockDriver(config), bridges);

        var commandLine = new QemuCommandLine
        {
            Name = new VmName("sandbox-" + spec.SandboxId),
            Machine = Machine(config, request.Accelerator),
            Cpu = new Cpu(request.Accelerator == Accelerator.Kvm ? CpuModel.Host : CpuModel.Max) { Features = SplitList(config.CpuFeatures) },
            Smp = new Smp(vcpus) { Cores = 1, Threads = 1, Sockets = maxVcpus, MaxCpus = maxVcpus },
            Memory = Memory(config, request.Host),
            Firmware = Firmware(config),
            Kernel = new Kernel(config.Kernel),
            Initrd = config.Initrd.Length > 0 ? new Initrd(config.Initrd) : null,
            Append = new KernelAppend(KernelParameters(config, spec, maxVcpus)),
            PidFile = new PidFile(request.Files.PidFile),
            FreezeAtStartup = spec.StartPaused,
        };

        // Bridges first: they claim fixed slots that QEMU would otherwise hand to the devices below.
        foreach (var bridge in bridges)
        {
            commandLine.Add(bridge);
        }

        commandLine
            .Add(new ChardevSocket(QmpChardev, request.Files.QmpSocket))
            .Add(new QmpMonitor(QmpChardev))
            .Add(new ChardevFile(ConsoleChardev, request.Files.ConsoleLog))
            .Add(new SerialPort(ConsoleChardev));
        AddAgentChannel(commandLine, request.AgentEndpoint);

        if (layout.Driver == GuestBlockDriver.VirtioScsi)
        {
            commandLine.Add(new VirtioScsiPci(QemuDeviceLayout.ScsiControllerId));
        }

        var backend = BackendOptions(config);
        foreach (var disk in spec.BlockDevices)
        {
            var placement = layout.Place(disk);
            commandLine.Add(placement.ToBlockdev(backend)).Add(placement.ToFrontend());
        }

        if (config.EntropySource.Length > 0)
        {
            commandLine.Add(new RngRandom("rng0", config.EntropySource)).Add(new VirtioRngPci("rng-device0", "rng0"));
        }

        commandLine.Add(new Rtc());
        if (request.Accelerator == Accelerator.Kvm)
        {
            commandLine.Add(GlobalProperty.KvmPitDiscardLostTicks);
        }

        if (config.SeccompSandbox.Length > 0)
        {
            commandLine.Add(new SeccompSandbox(config.SeccompSandbox));
        }

        return new QemuLaunchPlan(commandLine, layout);
    }

    /// <summary>The disk backend settings for this configuration.</summary>
    public static BlockBackendOptions BackendOptions(QemuConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var aio = config.BlockDeviceAio switch
        {
            BlockDeviceAio.IoUring => "io_uring",
            BlockDeviceAio.Native => "native",
            _ => "threads",
        };
        return config.BlockDeviceCacheSet
            ? new BlockBackendOptions(aio, config.BlockDeviceCacheDirect, config.BlockDeviceCacheNoflush)
            : new BlockBackendOptions(aio, null, null);
    }

    private static void RejectUnsupported(QemuConfig config)
    {
        if (config.ConfidentialGuest)
        {
            throw new HypervisorConfigurationException(Section + ".confidential_guest",
                "TEE guests (SEV, SEV-SNP, TDX, IBM SE) are not supported by this QEMU driver yet; set it to false");
        }

        if (config.Kernel.Length == 0)
        {
            throw new HypervisorConfigurationException(Section + ".kernel", "a guest kernel is required");
        }

        if (config.Initrd.Length == 0 && config.Image.Length > 0)
        {
            throw new HypervisorConfigurationException(Section + ".image",
                "booting from a root disk image is not supported yet; use an initrd (initrd = \"...\")");
        }
    }

    private static Machine Machine(QemuConfig config, Accelerator accelerator)
    {
        var extras = SplitList(config.MachineAccelerators);
        var type = config.MachineType.Trim();
        if (type == "q35")
        {
            return new Q35Machine { Accelerator = accelerator, ExtraOptions = extras };
        }

        if (type.StartsWith("pc-q35-", StringComparison.Ordinal) && type.Length > "pc-q35-".Length)
        {
            return new Q35Machine { Accelerator = accelerator, ExtraOptions = extras, Version = type["pc-q35-".Length..] };
        }

        return type switch
        {
            "virt" => new VirtMachine { Accelerator = accelerator, ExtraOptions = extras },
            "s390-ccw-virtio" => new S390CcwVirtioMachine { Accelerator = accelerator, ExtraOptions = extras },
            _ => throw new HypervisorConfigurationException(Section + ".machine_type",
                $"\"{config.MachineType}\" is not supported: expected q35 (or pc-q35-X.Y), virt or s390-ccw-virtio"),
        };
    }

    // Kata rounds fractional vCPUs up, and a negative value or more than the host has means "all host CPUs".
    private static int Vcpus(QemuConfig config, HostResources host)
    {
        if (config.DefaultVcpus < 0)
        {
            return host.Cpus;
        }

        var requested = (int)Math.Ceiling(config.DefaultVcpus);
        return Math.Clamp(requested, 1, host.Cpus);
    }

    private static int MaxVcpus(QemuConfig config, HostResources host) =>
        config.DefaultMaxVcpus <= 0 || config.DefaultMaxVcpus > host.Cpus ? host.Cpus : config.DefaultMaxVcpus;

    private static Memory Memory(QemuConfig config, HostResources host)
    {
        // 0 means "as much as the host has"; Kata adds memory_offset on top (NVDIMM address space).
        var maxMem = (config.DefaultMaxMemoryMiB <= 0 || config.DefaultMaxMemoryMiB > host.MemoryMiB
            ? host.MemoryMiB
            : config.DefaultMaxMemoryMiB) + config.MemoryOffsetMiB;
        return maxMem > config.DefaultMemoryMiB && config.MemorySlots > 0
            ? new Memory(config.DefaultMemoryMiB) { Slots = config.MemorySlots, MaxMemMiB = maxMem }
            : new Memory(config.DefaultMemoryMiB);
    }

    private static Firmware? Firmware(QemuConfig config)
    {
        if (config.Firmware.Length == 0)
        {
            return null;
        }

        return config.FirmwareVolume.Length > 0
            ? new PflashFirmware(config.Firmware) { VarsPath = config.FirmwareVolume }
            : new BiosFirmware(config.Firmware);
    }

    private static GuestBlockDriver BlockDriver(QemuConfig config) => config.BlockDeviceDriver switch
    {
        ConfigBlockDriver.VirtioScsi => GuestBlockDriver.VirtioScsi,
        ConfigBlockDriver.VirtioBlk => GuestBlockDriver.VirtioBlk,
        _ => throw new HypervisorConfigurationException(Section + ".block_device_driver",
            $"{config.BlockDeviceDriver} is not supported by the QEMU driver: expected \"virtio-scsi\" or \"virtio-blk\""),
    };

    // Kata's q35 layout: bridge N at root slot 2+N, chassis N+1.
    private static PciBridge[] Bridges(QemuConfig config)
    {
        var count = Math.Clamp(config.DefaultBridges, 0, 5);
        var bridges = new PciBridge[count];
        for (var i = 0; i < count; i++)
        {
            bridges[i] = new PciBridge($"pci-bridge-{i}", i + 1, new PciAddress("pcie.0", 2 + i));
        }

        return bridges;
    }

    private static void AddAgentChannel(QemuCommandLine commandLine, AgentEndpoint endpoint)
    {
        switch (endpoint)
        {
            case VsockAgentEndpoint vsock:
                commandLine.Add(new VhostVsockPci("vsock0", vsock.Cid));
                break;
            case VirtioSerialAgentEndpoint serial:
                commandLine
                    .Add(new VirtioSerialPci(SerialControllerId))
                    .Add(new ChardevSocket(AgentChardev, serial.SocketPath))
                    .Add(new VirtSerialPort("channel0", SerialControllerId, AgentChardev, serial.PortName));
                break;
            default:
                throw new HypervisorConfigurationException(
                    $"the QEMU driver cannot provide an agent endpoint of type {endpoint.GetType().Name}");
        }
    }

    private static List<string> KernelParameters(QemuConfig config, VmSpec spec, int maxVcpus)
    {
        var parameters = Sealpod.Config.KernelParameters.Parse(string.Join(' ', BaseKernelParameters));
        parameters = parameters.With(new KernelParameter("console", "ttyS0"));
        if (config.EnableDebug)
        {
            parameters = parameters.With(new KernelParameter("debug", null));
        }
        else
        {
            parameters = parameters
                .With(new KernelParameter("quiet", null))
                .With(new KernelParameter("systemd.show_status", "false"));
        }

        // A guest panic reboots, and -no-reboot turns the reboot into a QEMU exit the runtime sees.
        parameters = parameters
            .With(new KernelParameter("panic", "1"))
            .With(new KernelParameter("nr_cpus", maxVcpus.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        if (config.DisableGuestSeLinux)
        {
            parameters = parameters.With(new KernelParameter("selinux", "0"));
        }

        if (config.BlockDeviceDriver == ConfigBlockDriver.VirtioScsi)
        {
            // As in Kata: the agent scans for the exact SCSI address it is told, instead of the
            // kernel racing to probe every LUN on hotplug.
            parameters = parameters.With(new KernelParameter("scsi_mod.scan", "none"));
        }

        parameters = parameters.Merge(config.KernelParams);
        if (spec.ExtraKernelParameters.Count > 0)
        {
            parameters = parameters.Merge(Sealpod.Config.KernelParameters.Parse(string.Join(' ', spec.ExtraKernelParameters)));
        }

        return parameters.Select(p => p.ToString()).ToList();
    }

    private static string[] SplitList(string text) =>
        text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
