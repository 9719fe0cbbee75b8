using ConfigBlockDriver = Sealpod.Config.BlockDeviceDriver;

namespace Sealpod.Vmm.Qemu;

/// <summary>
/// Maps Kata's <c>[hypervisor.qemu]</c> settings plus one sandbox's <see cref="VmSpec"/> to a
/// <see cref="QemuCommandLine"/>. Pure: the same request always gives the same argv, which the
/// golden fixtures rely on. What the driver cannot do yet fails here, naming the key.
/// </summary>
public static partial class QemuCommandLineFactory
{
    private const string Section = "hypervisor.qemu";
    private const string ConsoleChardev = "console";
    private const string QmpChardev = "qmp";
    private const string AgentChardev = "agent";
    private const string SerialControllerId = "serial0";
    private const string SharedMemoryId = "dimm1";
    private const string VirtioFsChardev = "char-vhost-fs";
    private const string VirtioFsDeviceId = "vhost-fs";

    // Kata's default for file-backed guest RAM when nothing is configured (file_mem_backend).
    private const string DefaultSharedMemoryPath = "/dev/shm";

    // Kata's defaults for a fast, quiet, deterministic guest boot (runtime/virtcontainers/qemu_arch_base.go),
    // minus the ones that only matter for images or the legacy PC machine.
    private static readonly string[] BaseKernelParameters =
    [
        "tsc=reliable", "no_timer_check", "rcupdate.rcu_expedited=1",
        "i8042.direct=1", "i8042.dumbkbd=1", "i8042.nopnp=1", "i8042.noaux=1",
        "noreplace-smp", "reboot=k", "cryptomgr.notests", "net.ifnames=0",
    ];

    // QEMU's emulated local APIC (hw/intc/apic.c, used under TCG) counts its timer in nanoseconds of the virtual clock
    // (-icount too), so its input clock is 1 GHz, which Sealpod's guest kernel takes as lapic_bus_khz (its patch
    // guest/kernel/patches/0001-x86-apic-lapic_bus_khz.patch) instead of measuring it for 100 ms at every boot: TCG has
    // no TSC deadline timer, which would skip the measurement. KVM guests have the deadline timer, and a kernel without
    // the patch hands the unknown parameter to /init's environment, where nothing reads it.
    private const string TcgLocalApicBusKhz = "1000000";

    // s390x has no TSC, i8042 or SMP alternatives to patch; its console is the SCLP line-mode console.
    private static readonly string[] S390KernelParameters =
    [
        "rcupdate.rcu_expedited=1", "reboot=k", "cryptomgr.notests", "net.ifnames=0",
    ];

    /// <summary>Builds the command line for <paramref name="request"/>.</summary>
    /// <exception cref="HypervisorConfigurationException">A setting this driver does not support.</exception>
    public static QemuCommandLine Create(QemuLaunchRequest request) => Plan(request).CommandLine;

    internal static QemuLaunchPlan Plan(QemuLaunchRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var config = request.Config;
        var spec = request.Spec;
        var tee = request.Tee;
        spec.Validate();
        RejectUnsupported(config);
        RejectInvalidTee(request);

        var machine = Machine(config, request.Accelerator, tee, request.SevSession);
        var ccw = machine is S390CcwVirtioMachine;
        var rootDisk = RootDisk(config, tee, ccw);
        var maxVcpus = MaxVcpus(config, request.Host);
        var vcpus = Math.Min(Vcpus(config, request.Host), maxVcpus);

        // s390x has no PCI bridges (devices sit on the channel subsystem).
        var bridges = ccw ? [] : Bridges(config);
        var layout = new QemuDeviceLayout(BlockDriver(config), bridges);

        var commandLine = new QemuCommandLine
        {
            Name = new VmName("sandbox-" + spec.SandboxId),
            Machine = machine,
            Cpu = new Cpu(CpuModelFor(request.Accelerator, tee)) { Features = SplitList(config.CpuFeatures) },
            // A TEE guest cannot hot-plug CPUs: it gets exactly its boot vCPUs.
            Smp = tee.IsConfidential
                ? new Smp(vcpus) { Cores = 1, Threads = 1, Sockets = vcpus, MaxCpus = vcpus }
                : new Smp(vcpus) { Cores = 1, Threads = 1, Sockets = maxVcpus, MaxCpus = maxVcpus },
            Memory = Memory(config, request.Host, tee),
            Firmware = Firmware(config, tee),
            Kernel = new Kernel(config.Kernel),
            Initrd = config.Initrd.Length > 0 ? new Initrd(config.Initrd) : null,
            Append = new KernelAppend(KernelParameters(config, spec, maxVcpus, tee, ccw, TcgLocalApic(request.Accelerator, machine), rootDisk)),
            PidFile = new PidFile(request.Files.PidFile),

            // SEV pre-attestation measures the guest before it runs and resumes it after the secret is injected.
            FreezeAtStartup = spec.StartPaused || tee is SevLaunch { PreAttestation: not null },
        };

        var sharing = spec.SharedDirectory is not null;
        if (sharing)
        {
            RejectUnsupportedSharing(config);

            // virtiofsd reads and writes the guest's buffers itself: the boot RAM must be a shared mapping it can open.
            commandLine
                .Add(new MemoryBackendFile(SharedMemoryId, config.DefaultMemoryMiB, config.FileMemBackend.Length > 0 ? config.FileMemBackend : DefaultSharedMemoryPath))
                .Add(new NumaNode(SharedMemoryId));
        }

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
        AddAgentChannel(commandLine, request.AgentEndpoint, ccw);

        var backend = BackendOptions(config);
        if (rootDisk is not null)
        {
            commandLine.Add(rootDisk.ToBlockdev(backend)).Add(rootDisk.ToFrontend());
        }

        if (sharing)
        {
            commandLine
                .Add(new ChardevSocket(VirtioFsChardev, request.Files.VirtiofsdSocket) { Server = false })
                .Add(new VhostUserFsPci(VirtioFsDeviceId, VirtioFsChardev, VmSpec.VirtioFsTag)
                {
                    QueueSize = config.VirtioFsQueueSize > 0 ? config.VirtioFsQueueSize : 1024,
                    CacheSizeMiB = config.VirtioFsCacheSizeMiB,
                });
        }

        if (layout.Driver == GuestBlockDriver.VirtioScsi)
        {
            commandLine.Add(ccw ? new VirtioScsiCcw(QemuDeviceLayout.ScsiControllerId) : new VirtioScsiPci(QemuDeviceLayout.ScsiControllerId));
        }

        foreach (var disk in spec.BlockDevices)
        {
            var placement = layout.Place(disk);
            commandLine.Add(placement.ToBlockdev(backend)).Add(placement.ToFrontend());
        }

        var passed = AddNetworkInterfaces(commandLine, spec, request.VhostNet, ccw);

        // Kata gives TEE guests no virtio-rng (and CoCo guest kernels leave it out): entropy from the host is not
        // trusted there, and every virtio device is host attack surface.
        if (config.EntropySource.Length > 0 && !tee.IsConfidential && !ccw)
        {
            commandLine.Add(new RngRandom("rng0", config.EntropySource)).Add(new VirtioRngPci("rng-device0", "rng0"));
        }

        if (!ccw)
        {
            // The RTC's tick catch-up and the PIT are x86 devices.
            commandLine.Add(new Rtc());
            if (request.Accelerator == Accelerator.Kvm)
            {
                commandLine.Add(GlobalProperty.KvmPitDiscardLostTicks);
            }
        }

        if (config.SeccompSandbox.Length > 0)
        {
            commandLine.Add(new SeccompSandbox(config.SeccompSandbox));
        }

        return new QemuLaunchPlan(commandLine, layout) { PassedDescriptors = passed };
    }

    /// <summary>
    /// One tap netdev and virtio-net device per NIC. The tap queue descriptors are handed to QEMU at fixed numbers from
    /// <see cref="Lifecycle.VmProcess.FirstPassedDescriptor"/> on, in NIC order, so the argv is the same on every run.
    /// </summary>
    private static List<System.Runtime.InteropServices.SafeHandle> AddNetworkInterfaces(QemuCommandLine commandLine, VmSpec spec, bool vhostNet, bool ccw)
    {
        var passed = new List<System.Runtime.InteropServices.SafeHandle>();
        if (spec.NetworkInterfaces.Count == 0)
        {
            return passed;
        }

        if (ccw)
        {
            throw new HypervisorConfigurationException(Section + ".machine_type",
                "is s390-ccw-virtio, where this driver has no network device yet; set runtime.internetworking_model = \"none\"");
        }

        foreach (var nic in spec.NetworkInterfaces)
        {
            var netdev = "network-" + nic.Id;
            commandLine
                .Add(new TapNetdev(netdev, Lifecycle.VmProcess.FirstPassedDescriptor + passed.Count, nic.Vhost && vhostNet))
                .Add(new VirtioNetPci(nic.Id, netdev, nic.MacText));
            passed.AddRange(nic.TapQueues);
        }

        return passed;
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
        if (config.Kernel.Length == 0)
        {
            throw new HypervisorConfigurationException(Section + ".kernel", "a guest kernel is required");
        }

    }

    /// <summary>
    /// The root disk image when the configuration boots from one (Config's validator allows exactly one of image and
    /// initrd), refusing what this driver cannot boot from it.
    /// </summary>
    private static RootDiskImage? RootDisk(QemuConfig config, TeeLaunch tee, bool ccw)
    {
        if (config.Image.Length == 0)
        {
            return null;
        }

        // A TEE guest's launch measurement covers firmware, kernel, initrd and command line (kernel hashes): a root disk
        // is trusted only through dm-verity, which this driver does not set up, so the guest would run unmeasured code.
        if (tee.IsConfidential)
        {
            throw new HypervisorConfigurationException(Section + ".image",
                $"a {Tee.TeeNames.Describe(tee.Kind)} guest boots from its initrd, which can be measured with the kernel (kernel hashes); a root disk image is not measured (no dm-verity root here): set initrd instead");
        }

        if (ccw)
        {
            throw new HypervisorConfigurationException(Section + ".image",
                "booting from a root disk image needs virtio-blk on PCI, which s390-ccw-virtio has not; use an initrd (initrd = \"...\")");
        }

        if (!config.DisableImageNvdimm)
        {
            // Kata's default maps the image as an NVDIMM (/dev/pmem0p1, DAX); Sealpod's guest kernel has no NVDIMM support.
            throw new HypervisorConfigurationException(Section + ".disable_image_nvdimm",
                "is false (Kata's default: the image as an NVDIMM), but this driver boots a root disk image over virtio-blk only: set disable_image_nvdimm = true");
        }

        if (config.KernelVerityParams.Length > 0)
        {
            throw new HypervisorConfigurationException(Section + ".kernel_verity_params",
                "is set, but this driver does not set up a dm-verity root for the image: the root would not be verified; leave it empty");
        }

        return new RootDiskImage(config.Image, config.RootfsType);
    }

    /// <summary>
    /// A shared directory needs <c>shared_fs = "virtio-fs"</c>. Config's validator already refuses virtio-fs for a
    /// confidential guest and on s390x, so a configuration that reaches here with virtio-fs may share.
    /// </summary>
    private static void RejectUnsupportedSharing(QemuConfig config)
    {
        if (config.SharedFs != SharedFs.VirtioFs)
        {
            throw new HypervisorConfigurationException(Section + ".shared_fs",
                $"is \"{ConfigChoices.SharedFs.NameOf(config.SharedFs)}\", but the sandbox asked for a shared directory, which this driver gives over \"virtio-fs\" only");
        }

        if (config.VirtioFsCacheSizeMiB > 0)
        {
            // The DAX window is vhost-user-fs-pci's cache-size, a property of Kata's patched QEMU only: upstream QEMU
            // (7.2 here) refuses the device with it, so the launch would fail later with QEMU's own words.
            throw new HypervisorConfigurationException(Section + ".virtio_fs_cache_size",
                $"is {config.VirtioFsCacheSizeMiB} MiB, but a DAX window needs a QEMU whose vhost-user-fs-pci has cache-size (Kata's patched QEMU); upstream QEMU has none: set it to 0");
        }
    }

    /// <summary>
    /// What a TEE launch cannot do, refused before anything starts: the TEE must have been planned (and its host
    /// checked) by <see cref="TeePlanner"/>, and it needs KVM.
    /// </summary>
    private static void RejectInvalidTee(QemuLaunchRequest request)
    {
        var config = request.Config;
        var tee = request.Tee;
        if (config.ConfidentialGuest != tee.IsConfidential)
        {
            throw new HypervisorConfigurationException(Section + ".confidential_guest", config.ConfidentialGuest
                ? "is true, but no TEE was planned for this launch (the driver plans it with TeePlanner)"
                : $"is false, but a {Tee.TeeNames.Describe(tee.Kind)} launch was planned");
        }

        if (!tee.IsConfidential)
        {
            return;
        }

        if (request.Accelerator != Accelerator.Kvm)
        {
            throw new HypervisorConfigurationException(Section + ".confidential_guest",
                $"{Tee.TeeNames.Describe(tee.Kind)} guests run only under KVM; this host would use TCG");
        }

        // Which machine each TEE needs, and SE's lack of an initrd, are Config's rules (the validator); the planner picks
        // SE from the machine type, so plan and machine agree for any configuration that loaded.
        if (tee is SevLaunch { PreAttestation: not null } && request.SevSession is null)
        {
            throw new HypervisorConfigurationException(Section + ".guest_pre_attestation",
                "is true, but no launch session was obtained from the key broker (the driver asks for it before launching)");
        }
    }

    private static Machine Machine(QemuConfig config, Accelerator accelerator, TeeLaunch tee, SevLaunchSession? session)
    {
        var extras = SplitList(config.MachineAccelerators);
        var protection = Protection(tee, session);

        // SEV-SNP and TDX cannot use the in-kernel IOAPIC.
        var irqchip = tee is SevSnpLaunch or TdxLaunch ? "split" : null;
        return config.MachineType.Family switch
        {
            // A pod guest drives only virtio devices: the chipset's SATA and SMBus controllers are probed by the guest
            // and emulated by QEMU for nothing. TEE launches keep QEMU's defaults: their machines are checked only against
            // golden argv fixtures here, not on TEE hardware.
            QemuMachineFamily.Q35 => new Q35Machine
            {
                Accelerator = accelerator, ExtraOptions = extras, Version = config.MachineType.Version, Protection = protection, KernelIrqchip = irqchip,
                ChipsetStorageAndSmbus = tee.IsConfidential ? null : false,
            },
            QemuMachineFamily.Virt => new VirtMachine { Accelerator = accelerator, ExtraOptions = extras },
            _ => new S390CcwVirtioMachine { Accelerator = accelerator, ExtraOptions = extras, Protection = protection },
        };
    }

    /// <summary>The TEE as the QEMU object that implements it.</summary>
    private static ProtectionDevice Protection(TeeLaunch tee, SevLaunchSession? session) => tee switch
    {
        NoTeeLaunch => ProtectionDevice.None,
        SevSnpLaunch snp => new SevSnpGuest
        {
            CBitPosition = snp.CBitPosition,
            ReducedPhysBits = snp.ReducedPhysBits,
            Policy = snp.Policy,
            IdBlock = snp.IdBlock,
            IdAuth = snp.IdAuth,
            HostData = snp.HostData,
            CertsPath = snp.CertsPath,
        },
        SevLaunch sev => new SevGuest
        {
            CBitPosition = sev.CBitPosition,
            ReducedPhysBits = sev.ReducedPhysBits,
            Policy = sev.Policy,
            DhCertFile = sev.PreAttestation is null ? null : session?.DhCertFile,
            SessionFile = sev.PreAttestation is null ? null : session?.SessionFile,
            KernelHashes = sev.KernelHashes,
        },
        TdxLaunch tdx => new TdxGuest
        {
            SeptVeDisable = tdx.SeptVeDisable,
            MrConfigId = tdx.MrConfigId,
            QgsUnixPath = (tdx.QuoteGeneration as UnixQuoteGenerationSocket)?.Path,
            QgsVsockCid = (tdx.QuoteGeneration as VsockQuoteGenerationSocket)?.Cid ?? QuoteGenerationSocket.HostCid,
            QgsVsockPort = (tdx.QuoteGeneration as VsockQuoteGenerationSocket)?.Port,
        },
        SecureExecutionLaunch => new S390PvGuest(),
        _ => throw new HypervisorConfigurationException($"the QEMU driver cannot launch {tee.GetType().Name}"),
    };

    /// <summary>
    /// KVM passes the host CPU through; for SEV-SNP the CPU model is part of the measured launch, so it is Kata's fixed
    /// EPYC-v4, not whatever the host is.
    /// </summary>
    private static CpuModel CpuModelFor(Accelerator accelerator, TeeLaunch tee) => tee switch
    {
        SevSnpLaunch => new NamedCpuModel("EPYC-v4"),
        _ => accelerator == Accelerator.Kvm ? CpuModel.Host : CpuModel.Max,
    };

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

    private static int MaxVcpus(QemuConfig config, HostResources host) => HostLimit.Cap(config.DefaultMaxVcpus, host.Cpus);

    private static Memory Memory(QemuConfig config, HostResources host, TeeLaunch tee)
    {
        // A TEE guest's memory is fixed and measured at launch: no hot-plug slots.
        if (tee.IsConfidential)
        {
            return new Memory(config.DefaultMemoryMiB);
        }

        // 0 means "as much as the host has"; Kata adds memory_offset on top (NVDIMM address space).
        var maxMem = HostLimit.Cap(config.DefaultMaxMemoryMiB, host.MemoryMiB) + config.MemoryOffsetMiB;
        return maxMem > config.DefaultMemoryMiB && config.MemorySlots > 0
            ? new Memory(config.DefaultMemoryMiB) { Slots = config.MemorySlots, MaxMemMiB = maxMem }
            : new Memory(config.DefaultMemoryMiB);
    }

    private static Firmware? Firmware(QemuConfig config, TeeLaunch tee)
    {
        if (config.Firmware.Length == 0)
        {
            return null;
        }

        switch (tee)
        {
            // SEV-SNP and TDX firmware is loaded as a ROM and measured whole.
            case SevSnpLaunch or TdxLaunch:
                return new BiosFirmware(config.Firmware);

            // SEV boots OVMF from read-only pflash (Kata's layout), variables optional.
            case SevLaunch:
                return config.FirmwareVolume.Length > 0
                    ? new PflashFirmware(config.Firmware) { VarsPath = config.FirmwareVolume }
                    : new PflashFirmware(config.Firmware);
        }

        return config.FirmwareVolume.Length > 0
            ? new PflashFirmware(config.Firmware) { VarsPath = config.FirmwareVolume }
            : new BiosFirmware(config.Firmware);
    }

    /// <summary>Config's validator allows QEMU only virtio-scsi, and virtio-blk off s390x.</summary>
    private static GuestBlockDriver BlockDriver(QemuConfig config) =>
        config.BlockDeviceDriver == ConfigBlockDriver.VirtioBlk ? GuestBlockDriver.VirtioBlk : GuestBlockDriver.VirtioScsi;

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

    private static void AddAgentChannel(QemuCommandLine commandLine, AgentEndpoint endpoint, bool ccw)
    {
        switch (endpoint)
        {
            case VsockAgentEndpoint vsock:
                commandLine.Add(ccw ? new VhostVsockCcw("vsock0", vsock.Cid) : new VhostVsockPci("vsock0", vsock.Cid));
                break;
            case VirtioSerialAgentEndpoint serial:
                commandLine
                    .Add(ccw ? new VirtioSerialCcw(SerialControllerId) : new VirtioSerialPci(SerialControllerId))
                    .Add(new ChardevSocket(AgentChardev, serial.SocketPath))
                    .Add(new VirtSerialPort("channel0", SerialControllerId, AgentChardev, serial.PortName));
                break;
            default:
                throw new HypervisorConfigurationException(
                    $"the QEMU driver cannot provide an agent endpoint of type {endpoint.GetType().Name}");
        }
    }

    /// <summary>Whether the guest's local APIC is QEMU's emulated one: an x86 machine under TCG.</summary>
    private static bool TcgLocalApic(Accelerator accelerator, Machine machine) => accelerator == Accelerator.Tcg && machine is Q35Machine;

    private static List<string> KernelParameters(QemuConfig config, VmSpec spec, int maxVcpus, TeeLaunch tee, bool s390, bool tcgLocalApic, RootDiskImage? rootDisk)
    {
        var parameters = Sealpod.Config.KernelParameters.Parse(string.Join(' ', s390 ? S390KernelParameters : BaseKernelParameters));
        if (tcgLocalApic)
        {
            parameters = parameters.With(new KernelParameter("lapic_bus_khz", TcgLocalApicBusKhz));
        }

        parameters = parameters.With(new KernelParameter("console", s390 ? "ttysclp0" : "ttyS0"));
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
        parameters = parameters.With(new KernelParameter("panic", "1"));
        if (!tee.IsConfidential)
        {
            // Kata limits the CPUs a guest prepares for hot-plug; a TEE guest has no hot-plug.
            parameters = parameters.With(new KernelParameter("nr_cpus", maxVcpus.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }
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

        // The root disk's parameters are Kata's base ones: kernel_params may still replace them.
        foreach (var parameter in rootDisk?.KernelParameters() ?? [])
        {
            parameters = parameters.With(parameter);
        }

        // Then the runtime's agent options, what the TEE launch implies, the configured parameters (with the pod's
        // allowed annotation), and last the sandbox's extras: GuestKernelParameters' layering.
        if (spec.AgentKernelParameters.Count > 0)
        {
            parameters = parameters.Merge(Sealpod.Config.KernelParameters.Parse(string.Join(' ', spec.AgentKernelParameters)));
        }

        parameters = parameters.Merge(GuestKernelParameters.ForLaunch(tee)).Merge(config.KernelParams);
        if (spec.ExtraKernelParameters.Count > 0)
        {
            parameters = parameters.Merge(Sealpod.Config.KernelParameters.Parse(string.Join(' ', spec.ExtraKernelParameters)));
        }

        return parameters.Select(p => p.ToString()).ToList();
    }

    private static string[] SplitList(string text) =>
        text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
