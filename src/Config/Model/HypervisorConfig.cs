namespace Sealpod.Config;

/// <summary>
/// Settings shared by every <c>[hypervisor.*]</c> section, with Kata's key names and defaults. Sizes are MiB as in
/// Kata; an empty path string means "not set". The concrete type says which VMM it is: <see cref="QemuConfig"/> or
/// <see cref="CloudHypervisorConfig"/>. Host-dependent resolution (vCPU count 0 or negative = host CPUs, maximum
/// memory 0 = host RAM, file existence) is left to the hypervisor driver.
/// </summary>
public abstract record HypervisorConfig
{
    /// <summary>The section this came from.</summary>
    public abstract HypervisorKind Kind { get; }

    /// <summary><c>path</c>: the VMM binary.</summary>
    public string Path { get; init; } = string.Empty;

    /// <summary><c>kernel</c>: guest kernel.</summary>
    public string Kernel { get; init; } = "/usr/share/sealpod/vmlinuz";

    /// <summary><c>initrd</c>: guest initrd (exclusive with <see cref="Image"/>).</summary>
    public string Initrd { get; init; } = string.Empty;

    /// <summary><c>image</c>: guest root disk image (exclusive with <see cref="Initrd"/>).</summary>
    public string Image { get; init; } = string.Empty;

    /// <summary><c>rootfs_type</c>.</summary>
    public RootfsType RootfsType { get; init; } = RootfsType.Ext4;

    /// <summary><c>firmware</c>: empty for the VMM's default firmware.</summary>
    public string Firmware { get; init; } = string.Empty;

    /// <summary><c>kernel_params</c>: extra guest kernel parameters; they win over the runtime's defaults of the same key.</summary>
    public KernelParameters KernelParams { get; init; } = KernelParameters.Empty;

    /// <summary>
    /// Sealpod extension <c>valid_annotation_kernel_params</c>: the kernel parameter names the
    /// <c>io.katacontainers.config.hypervisor.kernel_params</c> annotation may set (exact names). Kata lets the annotation
    /// set anything; on TDX the command line is not measured, so a pod could otherwise change <c>init=</c> or
    /// <c>dm-mod.create=</c> unnoticed. Defaults to <see cref="DefaultAnnotationKernelParams"/>; empty rejects every
    /// parameter.
    /// </summary>
    public EquatableArray<string> ValidAnnotationKernelParams { get; init; } = DefaultAnnotationKernelParams;

    /// <summary>
    /// The CoCo guest-component options a pod may need to set per workload (key broker, image policy, registry auth,
    /// agent log level). <c>agent.debug_console</c> is deliberately absent: it opens a shell into the TEE.
    /// </summary>
    public static EquatableArray<string> DefaultAnnotationKernelParams { get; } =
    [
        "agent.aa_kbc_params", "agent.guest_components_rest_api", "agent.guest_components_procs",
        "agent.enable_signature_verification", "agent.image_policy_file", "agent.image_registry_auth", "agent.log",
    ];

    /// <summary><c>kernel_verity_params</c>: <c>root_hash=..,salt=..,data_blocks=..,data_block_size=..,hash_block_size=..</c>.</summary>
    public string KernelVerityParams { get; init; } = string.Empty;

    /// <summary>
    /// <c>enable_annotations</c>: regular expressions over the annotation base name (the part after
    /// <c>io.katacontainers.config.hypervisor.</c>). Sealpod matches the whole name (the pattern is anchored);
    /// Kata's Go runtime matches substrings, which lets <c>path</c> also enable <c>vhost_user_store_path</c>.
    /// </summary>
    public EquatableArray<string> EnableAnnotations { get; init; } = [];

    /// <summary><c>valid_hypervisor_paths</c>: glob(3) patterns an annotation's <c>path</c> must match.</summary>
    public EquatableArray<string> ValidHypervisorPaths { get; init; } = [];

    /// <summary>Sealpod extension <c>valid_kernel_paths</c>: globs for the <c>kernel</c> annotation (Kata has no list; empty rejects it).</summary>
    public EquatableArray<string> ValidKernelPaths { get; init; } = [];

    /// <summary>Sealpod extension <c>valid_image_paths</c>: globs for the <c>image</c> annotation.</summary>
    public EquatableArray<string> ValidImagePaths { get; init; } = [];

    /// <summary>Sealpod extension <c>valid_initrd_paths</c>: globs for the <c>initrd</c> annotation.</summary>
    public EquatableArray<string> ValidInitrdPaths { get; init; } = [];

    /// <summary>Sealpod extension <c>valid_firmware_paths</c>: globs for the <c>firmware</c> and <c>firmware_volume</c> annotations.</summary>
    public EquatableArray<string> ValidFirmwarePaths { get; init; } = [];

    /// <summary><c>default_vcpus</c>: may be fractional (Kata rounds up); a negative value means "all host CPUs".</summary>
    public float DefaultVcpus { get; init; } = 1;

    /// <summary><c>default_maxvcpus</c>: 0 means "host CPUs".</summary>
    public int DefaultMaxVcpus { get; init; }

    /// <summary><c>default_memory</c> in MiB (at least 256).</summary>
    public int DefaultMemoryMiB { get; init; } = 2048;

    /// <summary><c>memory_slots</c>: hot-plug slots (at least 1).</summary>
    public int MemorySlots { get; init; } = 10;

    /// <summary><c>default_maxmemory</c> in MiB: 0 means "host RAM".</summary>
    public long DefaultMaxMemoryMiB { get; init; }

    /// <summary><c>default_bridges</c>: PCI bridges, 1 to 5.</summary>
    public int DefaultBridges { get; init; } = 1;

    /// <summary><c>shared_fs</c>.</summary>
    public SharedFs SharedFs { get; init; } = SharedFs.VirtioFs;

    /// <summary><c>virtio_fs_daemon</c>: required when <see cref="SharedFs"/> is virtio-fs.</summary>
    public string VirtioFsDaemon { get; init; } = string.Empty;

    /// <summary><c>valid_virtio_fs_daemon_paths</c>.</summary>
    public EquatableArray<string> ValidVirtioFsDaemonPaths { get; init; } = [];

    /// <summary><c>virtio_fs_cache_size</c>: DAX window in MiB, 0 disables DAX.</summary>
    public int VirtioFsCacheSizeMiB { get; init; }

    /// <summary><c>virtio_fs_queue_size</c>.</summary>
    public int VirtioFsQueueSize { get; init; } = 1024;

    /// <summary><c>virtio_fs_extra_args</c>.</summary>
    public EquatableArray<string> VirtioFsExtraArgs { get; init; } = [];

    /// <summary><c>virtio_fs_cache</c>.</summary>
    public VirtioFsCacheMode VirtioFsCache { get; init; } = VirtioFsCacheMode.Never;

    /// <summary><c>block_device_driver</c> (QEMU default virtio-scsi, Cloud Hypervisor virtio-blk).</summary>
    public BlockDeviceDriver BlockDeviceDriver { get; init; } = BlockDeviceDriver.VirtioScsi;

    /// <summary><c>disable_block_device_use</c>: never hot-plug a host block device as container rootfs.</summary>
    public bool DisableBlockDeviceUse { get; init; }

    /// <summary><c>enable_hugepages</c>.</summary>
    public bool EnableHugePages { get; init; }

    /// <summary><c>enable_mem_prealloc</c>.</summary>
    public bool EnableMemPrealloc { get; init; }

    /// <summary><c>enable_virtio_mem</c>.</summary>
    public bool EnableVirtioMem { get; init; }

    /// <summary><c>enable_iommu</c>: vIOMMU device plus <c>intel_iommu=on,iommu=pt</c>.</summary>
    public bool EnableIommu { get; init; }

    /// <summary><c>enable_iommu_platform</c>: <c>iommu_platform=on</c> on devices.</summary>
    public bool EnableIommuPlatform { get; init; }

    /// <summary><c>enable_debug</c>: VMM and guest kernel debug output.</summary>
    public bool EnableDebug { get; init; }

    /// <summary><c>guest_hook_path</c>: OCI hooks directory inside the guest.</summary>
    public string GuestHookPath { get; init; } = string.Empty;

    /// <summary><c>confidential_guest</c>: run a TEE guest (the host's TEE is probed by the driver).</summary>
    public bool ConfidentialGuest { get; init; }

    /// <summary><c>sev_snp_guest</c>: choose SEV-SNP over SEV on AMD; requires <see cref="ConfidentialGuest"/>.</summary>
    public bool SevSnpGuest { get; init; }

    /// <summary><c>snp_guest_policy</c>: SNP_LAUNCH_START policy; QEMU's default is 0x30000 (bit 17 must be set).</summary>
    public ulong SnpGuestPolicy { get; init; } = 0x30000;

    /// <summary><c>rootless</c>: run the VMM as a non-root user.</summary>
    public bool Rootless { get; init; }

    /// <summary><c>disable_seccomp</c> (Cloud Hypervisor's own seccomp filter).</summary>
    public bool DisableSeccomp { get; init; }

    /// <summary><c>disable_selinux</c>: on the VMM process.</summary>
    public bool DisableSeLinux { get; init; }

    /// <summary><c>disable_guest_selinux</c>.</summary>
    public bool DisableGuestSeLinux { get; init; } = true;

    /// <summary><c>hot_plug_vfio</c>.</summary>
    public PciePort HotPlugVfio { get; init; } = PciePort.NoPort;

    /// <summary><c>cold_plug_vfio</c>.</summary>
    public PciePort ColdPlugVfio { get; init; } = PciePort.NoPort;

    /// <summary><c>pcie_root_port</c>: 0 to 16.</summary>
    public int PcieRootPort { get; init; }

    /// <summary><c>pcie_switch_port</c>: 0 to 16.</summary>
    public int PcieSwitchPort { get; init; }

    /// <summary><c>disable_nesting_checks</c>.</summary>
    public bool DisableNestingChecks { get; init; }

    /// <summary><c>hypervisor_loglevel</c>: 0 to 3.</summary>
    public int HypervisorLogLevel { get; init; } = 1;

    /// <summary><c>enable_guest_swap</c>.</summary>
    public bool EnableGuestSwap { get; init; }

    /// <summary><c>use_legacy_serial</c>.</summary>
    public bool UseLegacySerial { get; init; }

    /// <summary><c>guest_memory_dump_path</c>: empty disables dumps on guest panic.</summary>
    public string GuestMemoryDumpPath { get; init; } = string.Empty;

    /// <summary><c>guest_memory_dump_paging</c>.</summary>
    public bool GuestMemoryDumpPaging { get; init; }

    /// <summary><c>rx_rate_limiter_max_rate</c>: bits/s, 0 unlimited.</summary>
    public long RxRateLimiterMaxRate { get; init; }

    /// <summary><c>tx_rate_limiter_max_rate</c>: bits/s, 0 unlimited.</summary>
    public long TxRateLimiterMaxRate { get; init; }

    /// <summary>
    /// Init-Data from the <c>io.katacontainers.config.hypervisor.cc_init_data</c> annotation: base64 of gzipped
    /// TOML, as given. There is no configuration-file key for it (as in Kata).
    /// </summary>
    public string? CcInitData { get; init; }

    /// <summary>True when <see cref="Initrd"/> is the guest root (no disk image).</summary>
    public bool BootsFromInitrd => Initrd.Length > 0;
}
