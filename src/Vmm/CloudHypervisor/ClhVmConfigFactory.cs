namespace Sealpod.Vmm.CloudHypervisor;

/// <summary>
/// Maps <c>[hypervisor.clh]</c> plus one sandbox's <see cref="VmSpec"/> and planned TEE to the <c>vm.create</c> body.
/// Pure, like the QEMU command line: the same request always gives the same JSON, which the tests pin and check
/// against Cloud Hypervisor's OpenAPI schema.
/// </summary>
/// <remarks>
/// TEEs as Kata (upstream and Microsoft's fork) launch them: TDX with <c>payload.firmware</c> (td-shim) and
/// <c>platform.tdx</c>; SEV-SNP with an IGVM payload, <c>platform.sev_snp</c> and <c>payload.host_data</c> (the Init-Data
/// digest, 64 hex digits), the root image attached as the first disk because the IGVM carries the kernel.
/// </remarks>
public static class ClhVmConfigFactory
{
    private const string Section = "hypervisor.clh";

    /// <summary>Kata's guest CID for Cloud Hypervisor; hybrid vsock makes it local to the VM, so it never collides.</summary>
    public const long GuestCid = 3;

    /// <summary>The disk id of the root image an IGVM guest boots from.</summary>
    public const string RootDiskId = "rootfs";

    // Kata's clhKernelParams plus the quiet boot QEMU guests get; the console is the 8250 serial port.
    private static readonly string[] BaseKernelParameters =
    [
        "panic=1", "no_timer_check", "noreplace-smp", "reboot=k", "cryptomgr.notests", "net.ifnames=0", "console=ttyS0",
    ];

    /// <summary>Builds the <c>vm.create</c> body.</summary>
    /// <exception cref="HypervisorConfigurationException">A setting this driver cannot launch, naming the key.</exception>
    public static VmConfig Create(ClhLaunchRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var config = request.Config;
        var tee = request.Tee;
        request.Spec.Validate();
        Reject(config, tee);

        var vcpus = Vcpus(config, request.Host);
        var maxVcpus = tee.IsConfidential ? vcpus : Math.Max(vcpus, MaxVcpus(config, request.Host));
        var disks = new List<DiskConfig>();
        PayloadConfig payload;
        PlatformConfig? platform = null;
        switch (tee)
        {
            case SevSnpLaunch snp:
                payload = new PayloadConfig
                {
                    Igvm = snp.Igvm,
                    HostData = Convert.ToHexStringLower(snp.HostData ?? new byte[Sealpod.InitData.InitDataDigest.SnpHostDataBytes]),
                };
                platform = new PlatformConfig { SevSnp = true };
                disks.Add(new DiskConfig { Path = config.Image, Readonly = true, Id = RootDiskId });
                break;
            case TdxLaunch tdx:
                payload = KernelPayload(config, request.Spec, tee) with { Firmware = tdx.Firmware };
                platform = new PlatformConfig { Tdx = true };
                break;
            default:
                payload = KernelPayload(config, request.Spec, tee) with { Firmware = config.Firmware.Length > 0 ? config.Firmware : null };
                break;
        }

        foreach (var device in request.Spec.BlockDevices)
        {
            disks.Add(new DiskConfig { Path = device.Path, Readonly = device.ReadOnly, Id = device.Id, Serial = device.Serial });
        }

        return new VmConfig
        {
            Cpus = new CpusConfig(vcpus, maxVcpus),
            Memory = new MemoryConfig { Size = config.DefaultMemoryMiB * 1024L * 1024L },
            Payload = payload,
            Disks = disks.Count == 0 ? null : disks,

            // As for QEMU, Kata gives TEE guests no virtio-rng.
            Rng = tee.IsConfidential ? null : new RngConfig("/dev/urandom"),
            Serial = new SerialConfig { Mode = "File", File = request.Files.ConsoleLog },
            Console = new ConsoleConfig { Mode = "Off" },
            Vsock = new VsockConfig(GuestCid, request.Files.VsockSocket),
            Platform = platform,
        };
    }

    private static void Reject(CloudHypervisorConfig config, TeeLaunch tee)
    {
        if (config.ConfidentialGuest != tee.IsConfidential)
        {
            throw new HypervisorConfigurationException(Section + ".confidential_guest", config.ConfidentialGuest
                ? "is true, but no TEE was planned for this launch (the driver plans it with TeePlanner)"
                : $"is false, but a {TeeNames.Describe(tee.Kind)} launch was planned");
        }

        switch (tee)
        {
            case NoTeeLaunch or TdxLaunch:
                if (config.Kernel.Length == 0)
                {
                    throw new HypervisorConfigurationException(Section + ".kernel", "a guest kernel is required");
                }

                if (config.Initrd.Length == 0 && config.Image.Length > 0)
                {
                    throw new HypervisorConfigurationException(Section + ".image",
                        "booting from a root disk image is supported only with an IGVM payload (sev_snp_guest); use an initrd");
                }

                break;
            case SevSnpLaunch snp:
                if (snp.Igvm.Length == 0)
                {
                    throw new HypervisorConfigurationException(Section + ".igvm", "SEV-SNP guests boot from an IGVM payload; set igvm");
                }

                if (config.Image.Length == 0)
                {
                    throw new HypervisorConfigurationException(Section + ".image", "an IGVM guest needs its root disk image; set image");
                }

                break;
            default:
                throw new HypervisorConfigurationException(Section + ".confidential_guest",
                    $"Cloud Hypervisor cannot launch {TeeNames.Describe(tee.Kind)} guests (TDX and SEV-SNP only)");
        }
    }

    private static PayloadConfig KernelPayload(CloudHypervisorConfig config, VmSpec spec, TeeLaunch tee)
    {
        var parameters = KernelParameters.Parse(string.Join(' ', BaseKernelParameters))
            .With(new KernelParameter(config.EnableDebug ? "debug" : "quiet", null));
        if (spec.AgentKernelParameters.Count > 0)
        {
            parameters = parameters.Merge(KernelParameters.Parse(string.Join(' ', spec.AgentKernelParameters)));
        }

        parameters = parameters.Merge(GuestKernelParameters.ForLaunch(tee)).Merge(config.KernelParams);
        if (spec.ExtraKernelParameters.Count > 0)
        {
            parameters = parameters.Merge(KernelParameters.Parse(string.Join(' ', spec.ExtraKernelParameters)));
        }

        return new PayloadConfig
        {
            Kernel = config.Kernel,
            Initramfs = config.Initrd.Length > 0 ? config.Initrd : null,
            Cmdline = parameters.ToString(),
        };
    }

    private static int Vcpus(CloudHypervisorConfig config, HostResources host) =>
        config.DefaultVcpus < 0 ? host.Cpus : Math.Clamp((int)Math.Ceiling(config.DefaultVcpus), 1, host.Cpus);

    private static int MaxVcpus(CloudHypervisorConfig config, HostResources host) => HostLimit.Cap(config.DefaultMaxVcpus, host.Cpus);
}
