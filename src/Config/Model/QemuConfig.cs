namespace Sealpod.Config;

/// <summary><c>[hypervisor.qemu]</c>: the shared settings plus QEMU's machine, firmware and TEE launch keys.</summary>
public sealed record QemuConfig : HypervisorConfig
{
    public QemuConfig()
    {
        Path = "/usr/bin/qemu-system-x86_64";
    }

    public override HypervisorKind Kind => HypervisorKind.Qemu;

    /// <summary><c>machine_type</c>: q35 (or pc-q35-X.Y), virt or s390-ccw-virtio.</summary>
    public QemuMachineType MachineType { get; init; } = QemuMachineType.Q35;

    /// <summary><c>machine_accelerators</c>: extra comma-separated <c>-machine</c> options, spaces trimmed.</summary>
    public string MachineAccelerators { get; init; } = string.Empty;

    /// <summary><c>cpu_features</c>: comma-separated <c>-cpu</c> features such as <c>pmu=off</c>, spaces trimmed.</summary>
    public string CpuFeatures { get; init; } = string.Empty;

    /// <summary><c>firmware_volume</c>: UEFI variables store paired with <see cref="HypervisorConfig.Firmware"/>.</summary>
    public string FirmwareVolume { get; init; } = string.Empty;

    /// <summary><c>pflashes</c>: images for <c>-pflash</c>.</summary>
    public EquatableArray<string> Pflashes { get; init; } = [];

    /// <summary><c>seccompsandbox</c>: QEMU's <c>-sandbox</c> options; empty disables it.</summary>
    public string SeccompSandbox { get; init; } = string.Empty;

    /// <summary><c>block_device_aio</c>.</summary>
    public BlockDeviceAio BlockDeviceAio { get; init; } = BlockDeviceAio.IoUring;

    /// <summary><c>block_device_cache_set</c>.</summary>
    public bool BlockDeviceCacheSet { get; init; }

    /// <summary><c>block_device_cache_direct</c>.</summary>
    public bool BlockDeviceCacheDirect { get; init; }

    /// <summary><c>block_device_cache_noflush</c>.</summary>
    public bool BlockDeviceCacheNoflush { get; init; }

    /// <summary><c>block_device_logical_sector_size</c>: bytes, 0 for QEMU's default.</summary>
    public int BlockDeviceLogicalSectorSize { get; init; }

    /// <summary><c>block_device_physical_sector_size</c>: bytes, 0 for QEMU's default.</summary>
    public int BlockDevicePhysicalSectorSize { get; init; }

    /// <summary><c>enable_iothreads</c>.</summary>
    public bool EnableIoThreads { get; init; }

    /// <summary><c>indep_iothreads</c>: independent iothreads for hot-plugged devices.</summary>
    public int IndepIoThreads { get; init; }

    /// <summary><c>memory_offset</c> in MiB: extra address space for NVDIMM.</summary>
    public long MemoryOffsetMiB { get; init; }

    /// <summary><c>enable_vhost_user_store</c>.</summary>
    public bool EnableVhostUserStore { get; init; }

    /// <summary><c>vhost_user_store_path</c>.</summary>
    public string VhostUserStorePath { get; init; } = "/var/run/kata-containers/vhost-user";

    /// <summary><c>valid_vhost_user_store_paths</c>.</summary>
    public EquatableArray<string> ValidVhostUserStorePaths { get; init; } = [];

    /// <summary><c>vhost_user_reconnect_timeout_sec</c>: 0 disables reconnecting.</summary>
    public TimeSpan VhostUserReconnectTimeout { get; init; } = TimeSpan.Zero;

    /// <summary><c>file_mem_backend</c>: directory for file-backed guest RAM; empty disables.</summary>
    public string FileMemBackend { get; init; } = string.Empty;

    /// <summary><c>valid_file_mem_backends</c>.</summary>
    public EquatableArray<string> ValidFileMemBackends { get; init; } = [];

    /// <summary><c>entropy_source</c>.</summary>
    public string EntropySource { get; init; } = "/dev/urandom";

    /// <summary><c>valid_entropy_sources</c>.</summary>
    public EquatableArray<string> ValidEntropySources { get; init; } = [];

    /// <summary><c>msize_9p</c>: 9p payload size in bytes.</summary>
    public int Msize9p { get; init; } = 8192;

    /// <summary><c>disable_image_nvdimm</c>: plug the image as virtio-blk instead of NVDIMM.</summary>
    public bool DisableImageNvdimm { get; init; }

    /// <summary><c>disable_vhost_net</c>.</summary>
    public bool DisableVhostNet { get; init; }

    /// <summary><c>extra_monitor_socket</c> (debug only).</summary>
    public ExtraMonitorSocket ExtraMonitorSocket { get; init; } = ExtraMonitorSocket.None;

    /// <summary><c>reclaim_guest_freed_memory</c>: balloon free-page reporting.</summary>
    public bool ReclaimGuestFreedMemory { get; init; }

    /// <summary><c>enable_numa</c>.</summary>
    public bool EnableNuma { get; init; }

    /// <summary><c>numa_mapping</c>: host NUMA node list per guest node.</summary>
    public EquatableArray<string> NumaMapping { get; init; } = [];

    /// <summary>
    /// <c>tdx_quote_generation_service_socket_port</c>: 0 = the QGS unix socket
    /// <c>/var/run/tdx-qgs/qgs.socket</c> if present, else vsock CID 2 port 4050; N = vsock CID 2 port N.
    /// </summary>
    public int TdxQuoteGenerationServiceSocketPort { get; init; }

    /// <summary><c>snp_id_block</c>: base64 of the 96-byte SNP ID block; set together with <see cref="SnpIdAuth"/>.</summary>
    public string SnpIdBlock { get; init; } = string.Empty;

    /// <summary><c>snp_id_auth</c>: base64 of the 4096-byte ID authentication information structure.</summary>
    public string SnpIdAuth { get; init; } = string.Empty;

    /// <summary><c>snp_certs_path</c>: SNP certificate chain (used by the CoCo SNP guide; AMD's QEMU <c>certs-path</c>).</summary>
    public string SnpCertsPath { get; init; } = string.Empty;

    /// <summary><c>sev_guest_policy</c>: SEV/SEV-ES launch policy (bit 2 selects SEV-ES).</summary>
    public uint SevGuestPolicy { get; init; } = 3;

    /// <summary><c>sev_cert_chain</c>: platform certificate chain sent to the KBS (<c>sevctl export --full</c>).</summary>
    public string SevCertChain { get; init; } = "/opt/sev/cert_chain.cert";

    /// <summary><c>guest_pre_attestation</c>: SEV pre-attestation with simple-kbs before the guest runs.</summary>
    public bool GuestPreAttestation { get; init; }

    /// <summary><c>guest_pre_attestation_kbs_uri</c>: simple-kbs gRPC address, host:port.</summary>
    public string GuestPreAttestationKbsUri { get; init; } = "localhost:44444";

    /// <summary><c>guest_pre_attestation_kbs_mode</c>.</summary>
    public KbsMode GuestPreAttestationKbsMode { get; init; } = KbsMode.Online;

    /// <summary><c>guest_pre_attestation_keyset</c>: keyset id for offline mode.</summary>
    public string GuestPreAttestationKeyset { get; init; } = "KEYSET-1";

    /// <summary>
    /// <c>guest_pre_attestation_secret_guid</c> (CCv0): GUID of the secret simple-kbs packs for injection. Empty derives it
    /// from the secret type (<c>connection</c> = online_sev_kbc, <c>bundle</c> = offline_sev_kbc), as the CoCo SEV guide's
    /// edits of these two keys expect.
    /// </summary>
    public string GuestPreAttestationSecretGuid { get; init; } = string.Empty;

    /// <summary>
    /// <c>guest_pre_attestation_secret_type</c> (CCv0): <c>connection</c>, <c>bundle</c>, ... Empty derives it from
    /// <see cref="GuestPreAttestationKbsMode"/>.
    /// </summary>
    public string GuestPreAttestationSecretType { get; init; } = string.Empty;

    /// <summary><c>guest_pre_attestation_grpc_timeout</c> (seconds in the file).</summary>
    public TimeSpan GuestPreAttestationGrpcTimeout { get; init; } = TimeSpan.FromSeconds(10);
}
