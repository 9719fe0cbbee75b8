namespace Sealpod.Config;

/// <summary>
/// Reads a <c>[hypervisor.qemu]</c> or <c>[hypervisor.clh]</c> table into its record: every key of Kata's
/// <c>hypervisor</c> struct and templates, with Kata's defaults (taken from the record's initialisers) and Kata's
/// "0 means default" adjustments.
/// </summary>
internal static class HypervisorBinder
{
    /// <summary>Kata's <c>MinHypervisorMemory</c>: a guest below this does not boot the agent.</summary>
    internal const int MinimumMemoryMiB = 256;

    // Kata's limits (katautils/config.go): larger values are clamped there, so they are clamped here, with a warning.
    private const int MaxPciBridges = 5;
    private const int MaxPcieRootPorts = 16;
    private const int MaxPcieSwitchPorts = 16;
    private const int MaxHypervisorLogLevel = 3;

    private static readonly StringRule VerityParamsRule = new(
        "comma-separated key=value pairs (root_hash, salt, data_blocks, data_block_size, hash_block_size)",
        v => v.Length == 0 || v.Split(',').All(p => p.IndexOf('=', StringComparison.Ordinal) > 0)
            ? null
            : "comma-separated key=value pairs (root_hash, salt, data_blocks, data_block_size, hash_block_size)");

    private static readonly StringRule NumaNodesRule = new(
        "a host NUMA node list such as \"0\" or \"0-1,3\"",
        v => System.Text.RegularExpressions.Regex.IsMatch(v, @"^[0-9]+(-[0-9]+)?(,[0-9]+(-[0-9]+)?)*$", System.Text.RegularExpressions.RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1))
            ? null
            : "a host NUMA node list such as \"0\" or \"0-1,3\"");

    /// <summary>Keys only <c>[hypervisor.qemu]</c> uses; in <c>[hypervisor.clh]</c> they draw a pointed warning.</summary>
    internal static readonly string[] QemuOnlyKeys =
    [
        "machine_type", "machine_accelerators", "cpu_features", "firmware_volume", "pflashes", "seccompsandbox",
        "block_device_aio", "block_device_cache_set", "block_device_cache_direct", "block_device_cache_noflush",
        "block_device_logical_sector_size", "block_device_physical_sector_size", "enable_iothreads", "indep_iothreads",
        "memory_offset", "enable_vhost_user_store", "vhost_user_store_path", "valid_vhost_user_store_paths",
        "vhost_user_reconnect_timeout_sec", "file_mem_backend", "valid_file_mem_backends", "entropy_source",
        "valid_entropy_sources", "msize_9p", "disable_image_nvdimm", "disable_vhost_net", "extra_monitor_socket",
        "reclaim_guest_freed_memory", "enable_numa", "numa_mapping", "tdx_quote_generation_service_socket_port",
        "snp_id_block", "snp_id_auth", "snp_certs_path", "sev_guest_policy", "sev_cert_chain", "guest_pre_attestation",
        "guest_pre_attestation_kbs_uri", "guest_pre_attestation_kbs_mode", "guest_pre_attestation_keyset",
        "guest_pre_attestation_grpc_timeout", "guest_pre_attestation_secret_guid", "guest_pre_attestation_secret_type",
    ];

    /// <summary>Keys only <c>[hypervisor.clh]</c> uses.</summary>
    internal static readonly string[] ClhOnlyKeys =
    [
        "igvm", "net_rate_limiter_bw_max_rate", "net_rate_limiter_bw_one_time_burst", "net_rate_limiter_ops_max_rate",
        "net_rate_limiter_ops_one_time_burst", "disk_rate_limiter_bw_max_rate", "disk_rate_limiter_bw_one_time_burst",
        "disk_rate_limiter_ops_max_rate", "disk_rate_limiter_ops_one_time_burst",
    ];

    /// <summary>
    /// Keys Kata's hypervisor struct (Go runtime, CCv0 branch, runtime-rs) accepts that Sealpod does not act on:
    /// other VMMs' settings and superseded SEV names. They are kept, not warned about.
    /// </summary>
    internal static readonly FrozenSet<string> KataValidUnmodelled = new[]
    {
        "jailer_path", "valid_jailer_paths", "ctlpath", "valid_ctlpaths", "remote_hypervisor_socket",
        "remote_hypervisor_timeout", "hotplug_vfio_on_root_bus", "default_gpus", "default_gpu_model",
        "guest_pre_attestation_proxy",
        "sgx_epc_size", "enable_iommu_platform_pci", "virtio_fs_inode_file_handles", "shared_fs_cache",
    }.ToFrozenSet(StringComparer.Ordinal);

    private static readonly FrozenDictionary<string, string> ForeignToClh =
        QemuOnlyKeys.ToFrozenDictionary(k => k, _ => "[hypervisor.qemu]", StringComparer.Ordinal);

    private static readonly FrozenDictionary<string, string> ForeignToQemu =
        ClhOnlyKeys.ToFrozenDictionary(k => k, _ => "[hypervisor.clh]", StringComparer.Ordinal);

    public static HypervisorConfig Bind(HypervisorKind kind, SectionReader r, IDictionary<string, TomlValue> unmodelled)
    {
        HypervisorConfig seed = kind == HypervisorKind.Qemu ? new QemuConfig() : new CloudHypervisorConfig();
        var common = BindCommon(seed, r);
        HypervisorConfig result = common switch
        {
            QemuConfig qemu => BindQemu(qemu, r),
            CloudHypervisorConfig clh => BindCloudHypervisor(clh, r),
            _ => throw new InvalidOperationException($"unexpected hypervisor record {common.GetType().Name}"),
        };
        r.Finish(KataValidUnmodelled, unmodelled, kind == HypervisorKind.Qemu ? ForeignToQemu : ForeignToClh);
        return result;
    }

    private static HypervisorConfig BindCommon(HypervisorConfig d, SectionReader r)
    {
        var vcpus = r.Number("default_vcpus", d.DefaultVcpus, -1024, 1024, "a number of vCPUs <= 1024 (0 = 1, negative = all host CPUs)");
        var bridges = r.Int32("default_bridges", d.DefaultBridges, 0, int.MaxValue, "an integer number of PCI bridges >= 0");
        var snpPolicy = r.Integer("snp_guest_policy", (long)d.SnpGuestPolicy, 0, long.MaxValue, "a non-negative integer SNP guest policy");

        return d with
        {
            Path = r.AbsolutePath("path", d.Path),
            Kernel = r.AbsolutePath("kernel", d.Kernel),
            Initrd = r.AbsolutePath("initrd", d.Initrd),
            Image = r.AbsolutePath("image", d.Image),
            RootfsType = r.Choice("rootfs_type", d.RootfsType, ConfigChoices.RootfsType),
            Firmware = r.AbsolutePath("firmware", d.Firmware),
            KernelParams = ReadKernelParams(r, "kernel_params", d.KernelParams),
            KernelVerityParams = r.String("kernel_verity_params", d.KernelVerityParams, VerityParamsRule),
            EnableAnnotations = r.Strings("enable_annotations", d.EnableAnnotations, StringRule.AnnotationRegex),
            ValidAnnotationKernelParams = r.Strings("valid_annotation_kernel_params", d.ValidAnnotationKernelParams, StringRule.KernelParameterName),
            ValidHypervisorPaths = r.Strings("valid_hypervisor_paths", d.ValidHypervisorPaths, StringRule.AbsoluteGlob),
            ValidKernelPaths = r.Strings("valid_kernel_paths", d.ValidKernelPaths, StringRule.AbsoluteGlob),
            ValidImagePaths = r.Strings("valid_image_paths", d.ValidImagePaths, StringRule.AbsoluteGlob),
            ValidInitrdPaths = r.Strings("valid_initrd_paths", d.ValidInitrdPaths, StringRule.AbsoluteGlob),
            ValidFirmwarePaths = r.Strings("valid_firmware_paths", d.ValidFirmwarePaths, StringRule.AbsoluteGlob),

            // Kata: "unspecified or 0 --> will be set to 1".
            DefaultVcpus = vcpus == 0 ? 1 : (float)vcpus,
            DefaultMaxVcpus = r.Int32("default_maxvcpus", d.DefaultMaxVcpus, 0, 1024, "an integer number of vCPUs between 0 and 1024 (0 = host CPUs)"),
            DefaultMemoryMiB = r.Int32("default_memory", d.DefaultMemoryMiB, MinimumMemoryMiB, int.MaxValue, $"an integer number of MiB >= {MinimumMemoryMiB}"),
            MemorySlots = r.Int32("memory_slots", d.MemorySlots, 1, int.MaxValue, "an integer >= 1"),
            DefaultMaxMemoryMiB = r.Integer("default_maxmemory", d.DefaultMaxMemoryMiB, 0, long.MaxValue, "an integer number of MiB >= 0 (0 = host RAM)"),
            DefaultBridges = ClampBridges(r, bridges),
            SharedFs = r.Choice("shared_fs", d.SharedFs, ConfigChoices.SharedFs),
            VirtioFsDaemon = r.AbsolutePath("virtio_fs_daemon", d.VirtioFsDaemon),
            ValidVirtioFsDaemonPaths = r.Strings("valid_virtio_fs_daemon_paths", d.ValidVirtioFsDaemonPaths, StringRule.AbsoluteGlob),
            VirtioFsCacheSizeMiB = r.Int32("virtio_fs_cache_size", d.VirtioFsCacheSizeMiB, 0, int.MaxValue, "an integer number of MiB >= 0"),
            VirtioFsQueueSize = r.Int32("virtio_fs_queue_size", d.VirtioFsQueueSize, 0, 65_535, "an integer queue size between 0 and 65535"),
            VirtioFsExtraArgs = r.Strings("virtio_fs_extra_args", d.VirtioFsExtraArgs),
            VirtioFsCache = r.Choice("virtio_fs_cache", d.VirtioFsCache, ConfigChoices.VirtioFsCache),
            BlockDeviceDriver = r.Choice("block_device_driver", d.BlockDeviceDriver, ConfigChoices.BlockDeviceDriver),
            DisableBlockDeviceUse = r.Bool("disable_block_device_use", d.DisableBlockDeviceUse),
            EnableHugePages = r.Bool("enable_hugepages", d.EnableHugePages),
            EnableMemPrealloc = r.Bool("enable_mem_prealloc", d.EnableMemPrealloc),
            EnableVirtioMem = r.Bool("enable_virtio_mem", d.EnableVirtioMem),
            EnableIommu = r.Bool("enable_iommu", d.EnableIommu),
            EnableIommuPlatform = r.Bool("enable_iommu_platform", d.EnableIommuPlatform),
            EnableDebug = r.Bool("enable_debug", d.EnableDebug),
            GuestHookPath = r.AbsolutePath("guest_hook_path", d.GuestHookPath),
            ConfidentialGuest = r.Bool("confidential_guest", d.ConfidentialGuest),
            SevSnpGuest = r.Bool("sev_snp_guest", d.SevSnpGuest),

            // Kata (and QEMU): "unspecified or 0" means the default policy 0x30000.
            SnpGuestPolicy = snpPolicy == 0 ? d.SnpGuestPolicy : (ulong)snpPolicy,
            Rootless = r.Bool("rootless", d.Rootless),
            DisableSeccomp = r.Bool("disable_seccomp", d.DisableSeccomp),
            DisableSeLinux = r.Bool("disable_selinux", d.DisableSeLinux),
            DisableGuestSeLinux = r.Bool("disable_guest_selinux", d.DisableGuestSeLinux),
            HotPlugVfio = r.Choice("hot_plug_vfio", d.HotPlugVfio, ConfigChoices.PciePort),
            ColdPlugVfio = r.Choice("cold_plug_vfio", d.ColdPlugVfio, ConfigChoices.PciePort),
            PcieRootPort = Clamp(r, "pcie_root_port", d.PcieRootPort, MaxPcieRootPorts, "PCIe root ports"),
            PcieSwitchPort = Clamp(r, "pcie_switch_port", d.PcieSwitchPort, MaxPcieSwitchPorts, "PCIe switch ports"),
            DisableNestingChecks = r.Bool("disable_nesting_checks", d.DisableNestingChecks),
            HypervisorLogLevel = Clamp(r, "hypervisor_loglevel", d.HypervisorLogLevel, MaxHypervisorLogLevel, "log level"),
            EnableGuestSwap = r.Bool("enable_guest_swap", d.EnableGuestSwap),
            UseLegacySerial = r.Bool("use_legacy_serial", d.UseLegacySerial),
            GuestMemoryDumpPath = r.AbsolutePath("guest_memory_dump_path", d.GuestMemoryDumpPath),
            GuestMemoryDumpPaging = r.Bool("guest_memory_dump_paging", d.GuestMemoryDumpPaging),
            RxRateLimiterMaxRate = r.Integer("rx_rate_limiter_max_rate", d.RxRateLimiterMaxRate, 0, long.MaxValue, "an integer number of bits/s >= 0"),
            TxRateLimiterMaxRate = r.Integer("tx_rate_limiter_max_rate", d.TxRateLimiterMaxRate, 0, long.MaxValue, "an integer number of bits/s >= 0"),
        };
    }

    private static QemuConfig BindQemu(QemuConfig d, SectionReader r) => d with
    {
        MachineType = QemuMachineType.Parse(r.String("machine_type", d.MachineType.ToString(), StringRule.MachineType)),
        MachineAccelerators = TrimList(r.String("machine_accelerators", d.MachineAccelerators)),
        CpuFeatures = TrimList(r.String("cpu_features", d.CpuFeatures)),
        FirmwareVolume = r.AbsolutePath("firmware_volume", d.FirmwareVolume),
        Pflashes = r.Strings("pflashes", d.Pflashes, StringRule.AbsolutePathOrEmpty),
        SeccompSandbox = r.String("seccompsandbox", d.SeccompSandbox),
        BlockDeviceAio = r.Choice("block_device_aio", d.BlockDeviceAio, ConfigChoices.BlockDeviceAio),
        BlockDeviceCacheSet = r.Bool("block_device_cache_set", d.BlockDeviceCacheSet),
        BlockDeviceCacheDirect = r.Bool("block_device_cache_direct", d.BlockDeviceCacheDirect),
        BlockDeviceCacheNoflush = r.Bool("block_device_cache_noflush", d.BlockDeviceCacheNoflush),
        BlockDeviceLogicalSectorSize = SectorSize(r, "block_device_logical_sector_size", d.BlockDeviceLogicalSectorSize),
        BlockDevicePhysicalSectorSize = SectorSize(r, "block_device_physical_sector_size", d.BlockDevicePhysicalSectorSize),
        EnableIoThreads = r.Bool("enable_iothreads", d.EnableIoThreads),
        IndepIoThreads = r.Int32("indep_iothreads", d.IndepIoThreads, 0, 1024, "an integer number of iothreads between 0 and 1024"),
        MemoryOffsetMiB = r.Integer("memory_offset", d.MemoryOffsetMiB, 0, long.MaxValue, "an integer number of MiB >= 0"),
        EnableVhostUserStore = r.Bool("enable_vhost_user_store", d.EnableVhostUserStore),
        VhostUserStorePath = r.AbsolutePath("vhost_user_store_path", d.VhostUserStorePath),
        ValidVhostUserStorePaths = r.Strings("valid_vhost_user_store_paths", d.ValidVhostUserStorePaths, StringRule.AbsoluteGlob),
        VhostUserReconnectTimeout = r.Seconds("vhost_user_reconnect_timeout_sec", d.VhostUserReconnectTimeout, 0),
        FileMemBackend = r.AbsolutePath("file_mem_backend", d.FileMemBackend),
        ValidFileMemBackends = r.Strings("valid_file_mem_backends", d.ValidFileMemBackends, StringRule.AbsoluteGlob),
        EntropySource = r.AbsolutePath("entropy_source", d.EntropySource),
        ValidEntropySources = r.Strings("valid_entropy_sources", d.ValidEntropySources, StringRule.AbsoluteGlob),
        Msize9p = NonZeroOr(r.Int32("msize_9p", d.Msize9p, 0, int.MaxValue, "an integer number of bytes >= 0"), d.Msize9p),
        DisableImageNvdimm = r.Bool("disable_image_nvdimm", d.DisableImageNvdimm),
        DisableVhostNet = r.Bool("disable_vhost_net", d.DisableVhostNet),
        ExtraMonitorSocket = r.Choice("extra_monitor_socket", d.ExtraMonitorSocket, ConfigChoices.ExtraMonitorSocket),
        ReclaimGuestFreedMemory = r.Bool("reclaim_guest_freed_memory", d.ReclaimGuestFreedMemory),
        EnableNuma = r.Bool("enable_numa", d.EnableNuma),
        NumaMapping = r.Strings("numa_mapping", d.NumaMapping, NumaNodesRule),
        TdxQuoteGenerationServiceSocketPort = r.Int32("tdx_quote_generation_service_socket_port", d.TdxQuoteGenerationServiceSocketPort, 0, int.MaxValue, "an integer vsock port >= 0 (0 = the local QGS socket)"),
        SnpIdBlock = r.String("snp_id_block", d.SnpIdBlock),
        SnpIdAuth = r.String("snp_id_auth", d.SnpIdAuth),
        SnpCertsPath = r.AbsolutePath("snp_certs_path", d.SnpCertsPath),
        SevGuestPolicy = (uint)r.Integer("sev_guest_policy", d.SevGuestPolicy, 0, uint.MaxValue, "an integer SEV policy between 0 and 4294967295"),
        SevCertChain = r.AbsolutePath("sev_cert_chain", d.SevCertChain),
        GuestPreAttestation = r.Bool("guest_pre_attestation", d.GuestPreAttestation),
        GuestPreAttestationKbsUri = r.String("guest_pre_attestation_kbs_uri", d.GuestPreAttestationKbsUri),
        GuestPreAttestationKbsMode = r.Choice("guest_pre_attestation_kbs_mode", d.GuestPreAttestationKbsMode, ConfigChoices.KbsMode),
        GuestPreAttestationKeyset = r.String("guest_pre_attestation_keyset", d.GuestPreAttestationKeyset),
        GuestPreAttestationGrpcTimeout = r.Seconds("guest_pre_attestation_grpc_timeout", d.GuestPreAttestationGrpcTimeout, 1),
        GuestPreAttestationSecretGuid = r.String("guest_pre_attestation_secret_guid", d.GuestPreAttestationSecretGuid, StringRule.GuidOrEmpty),
        GuestPreAttestationSecretType = r.String("guest_pre_attestation_secret_type", d.GuestPreAttestationSecretType, StringRule.SecretTypeOrEmpty),
    };

    private static CloudHypervisorConfig BindCloudHypervisor(CloudHypervisorConfig d, SectionReader r) => d with
    {
        Igvm = r.AbsolutePath("igvm", d.Igvm),
        NetRateLimiterBwMaxRate = Rate(r, "net_rate_limiter_bw_max_rate", d.NetRateLimiterBwMaxRate),
        NetRateLimiterBwOneTimeBurst = Rate(r, "net_rate_limiter_bw_one_time_burst", d.NetRateLimiterBwOneTimeBurst),
        NetRateLimiterOpsMaxRate = Rate(r, "net_rate_limiter_ops_max_rate", d.NetRateLimiterOpsMaxRate),
        NetRateLimiterOpsOneTimeBurst = Rate(r, "net_rate_limiter_ops_one_time_burst", d.NetRateLimiterOpsOneTimeBurst),
        DiskRateLimiterBwMaxRate = Rate(r, "disk_rate_limiter_bw_max_rate", d.DiskRateLimiterBwMaxRate),
        DiskRateLimiterBwOneTimeBurst = Rate(r, "disk_rate_limiter_bw_one_time_burst", d.DiskRateLimiterBwOneTimeBurst),
        DiskRateLimiterOpsMaxRate = Rate(r, "disk_rate_limiter_ops_max_rate", d.DiskRateLimiterOpsMaxRate),
        DiskRateLimiterOpsOneTimeBurst = Rate(r, "disk_rate_limiter_ops_one_time_burst", d.DiskRateLimiterOpsOneTimeBurst),
    };

    internal static KernelParameters ReadKernelParams(SectionReader r, string key, KernelParameters defaultValue)
    {
        var text = r.String(key, defaultValue.ToString());
        if (KernelParameters.TryParse(text, out var parameters, out var error))
        {
            return parameters;
        }

        r.Error(key, $"expected space-separated kernel parameters, {error}");
        return defaultValue;
    }

    private static int ClampBridges(SectionReader r, int bridges)
    {
        if (bridges == 0)
        {
            return 1;
        }

        if (bridges > MaxPciBridges)
        {
            r.Warning("default_bridges", $"{bridges} is more than the {MaxPciBridges} PCI bridges that can be cold-plugged; using {MaxPciBridges}");
            return MaxPciBridges;
        }

        return bridges;
    }

    private static int Clamp(SectionReader r, string key, int defaultValue, int max, string what)
    {
        var value = r.Int32(key, defaultValue, 0, int.MaxValue, "an integer >= 0");
        if (value > max)
        {
            r.Warning(key, $"{value} is more than the maximum of {max} {what}; using {max}");
            return max;
        }

        return value;
    }

    private static int SectorSize(SectionReader r, string key, int defaultValue)
    {
        var value = r.Int32(key, defaultValue, 0, 65_536, "0 or a power of two between 512 and 65536");
        if (value != 0 && (value < 512 || (value & (value - 1)) != 0))
        {
            r.Error(key, $"expected 0 or a power of two between 512 and 65536, found integer {value}");
            return defaultValue;
        }

        return value;
    }

    private static long Rate(SectionReader r, string key, long defaultValue) =>
        r.Integer(key, defaultValue, 0, long.MaxValue, "an integer rate >= 0");

    private static int NonZeroOr(int value, int defaultValue) => value == 0 ? defaultValue : value;

    /// <summary>Kata trims the items of <c>cpu_features</c> and <c>machine_accelerators</c> and drops empty ones.</summary>
    private static string TrimList(string value) =>
        string.Join(',', value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));
}
