namespace Sealpod.Config.Tests;

/// <summary>The lists that drive "applies to the other hypervisor" warnings agree with what the binders read.</summary>
public sealed class KeyCatalogTests
{
    private static IReadOnlyCollection<string> KeysRead(HypervisorKind kind)
    {
        var reader = new SectionReader(new TomlTable([], new Dictionary<string, TomlPosition>(), default), "hypervisor.x", new DiagnosticBag());
        HypervisorBinder.Bind(kind, reader, new Dictionary<string, TomlValue>());
        return reader.KnownKeys;
    }

    [Fact]
    public void Qemu_only_and_clh_only_lists_match_the_binders()
    {
        var qemu = KeysRead(HypervisorKind.Qemu);
        var clh = KeysRead(HypervisorKind.CloudHypervisor);

        Assert.Equal(qemu.Except(clh).Order(StringComparer.Ordinal), HypervisorBinder.QemuOnlyKeys.Order(StringComparer.Ordinal));
        Assert.Equal(clh.Except(qemu).Order(StringComparer.Ordinal), HypervisorBinder.ClhOnlyKeys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Kata_valid_unmodelled_keys_do_not_shadow_modelled_ones()
    {
        var qemu = KeysRead(HypervisorKind.Qemu);

        Assert.Empty(HypervisorBinder.KataValidUnmodelled.Intersect(qemu));
    }

    [Fact]
    public void Every_key_of_Katas_Go_hypervisor_struct_is_recognised()
    {
        // The toml tags of katautils.hypervisor (kata-containers main), CCv0's SEV keys and the SNP/TDX template keys.
        string[] kata =
        [
            "path", "jailer_path", "kernel", "initrd", "image", "rootfs_type", "firmware", "firmware_volume",
            "machine_accelerators", "cpu_features", "kernel_params", "machine_type", "tdx_quote_generation_service_socket_port",
            "block_device_driver", "entropy_source", "shared_fs", "virtio_fs_daemon", "virtio_fs_cache", "vhost_user_store_path",
            "file_mem_backend", "guest_hook_path", "guest_memory_dump_path", "seccompsandbox", "block_device_aio",
            "remote_hypervisor_socket", "valid_hypervisor_paths", "valid_jailer_paths", "valid_virtio_fs_daemon_paths",
            "virtio_fs_extra_args", "pflashes", "valid_vhost_user_store_paths", "valid_file_mem_backends", "valid_entropy_sources",
            "enable_annotations", "rx_rate_limiter_max_rate", "tx_rate_limiter_max_rate", "memory_offset", "default_maxmemory",
            "disk_rate_limiter_bw_max_rate", "disk_rate_limiter_bw_one_time_burst", "disk_rate_limiter_ops_max_rate",
            "disk_rate_limiter_ops_one_time_burst", "net_rate_limiter_bw_max_rate", "net_rate_limiter_bw_one_time_burst",
            "net_rate_limiter_ops_max_rate", "net_rate_limiter_ops_one_time_burst", "hypervisor_loglevel", "virtio_fs_cache_size",
            "virtio_fs_queue_size", "default_maxvcpus", "default_memory", "memory_slots", "default_bridges", "msize_9p",
            "remote_hypervisor_timeout", "default_vcpus", "block_device_cache_set", "block_device_cache_direct",
            "block_device_cache_noflush", "enable_vhost_user_store", "vhost_user_reconnect_timeout_sec", "disable_block_device_use",
            "enable_mem_prealloc", "enable_hugepages", "enable_virtio_mem", "enable_iommu", "enable_iommu_platform", "enable_debug",
            "disable_nesting_checks", "enable_iothreads", "disable_image_nvdimm", "hot_plug_vfio", "cold_plug_vfio", "pcie_root_port",
            "pcie_switch_port", "disable_vhost_net", "guest_memory_dump_paging", "confidential_guest", "sev_snp_guest",
            "enable_guest_swap", "rootless", "disable_seccomp", "disable_selinux", "disable_guest_selinux", "use_legacy_serial",
            "extra_monitor_socket", "snp_id_block", "snp_id_auth", "snp_guest_policy", "snp_certs_path", "igvm",
            "kernel_verity_params", "indep_iothreads", "reclaim_guest_freed_memory", "enable_numa", "numa_mapping",
            "block_device_logical_sector_size", "block_device_physical_sector_size", "guest_pre_attestation",
            "guest_pre_attestation_kbs_uri", "guest_pre_attestation_kbs_mode", "guest_pre_attestation_keyset",
            "guest_pre_attestation_grpc_timeout", "guest_pre_attestation_secret_guid", "guest_pre_attestation_secret_type",
            "sev_guest_policy", "sev_cert_chain",
        ];
        var known = KeysRead(HypervisorKind.Qemu).Concat(KeysRead(HypervisorKind.CloudHypervisor)).Concat(HypervisorBinder.KataValidUnmodelled).ToHashSet();

        Assert.Equal([], kata.Where(k => !known.Contains(k)).ToArray());
    }
}
