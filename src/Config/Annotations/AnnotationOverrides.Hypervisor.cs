namespace Sealpod.Config;

/// <summary>The <c>io.katacontainers.config.hypervisor.*</c> annotations, by base name (Kata's annotations.go).</summary>
internal static partial class AnnotationOverrides
{
    private static readonly FrozenDictionary<string, Handler> HypervisorHandlers = new Dictionary<string, Handler>
    {
        // Host paths: each gated by its valid_*_paths list (kernel/image/initrd/firmware by Sealpod's own lists).
        ["path"] = HostPath("valid_hypervisor_paths", h => h.ValidHypervisorPaths, (h, v) => h with { Path = v }),
        ["kernel"] = HostPath("valid_kernel_paths", h => h.ValidKernelPaths, (h, v) => h with { Kernel = v }),
        ["image"] = HostPath("valid_image_paths", h => h.ValidImagePaths, (h, v) => h with { Image = v }),
        ["initrd"] = HostPath("valid_initrd_paths", h => h.ValidInitrdPaths, (h, v) => h with { Initrd = v }),
        ["firmware"] = HostPath("valid_firmware_paths", h => h.ValidFirmwarePaths, (h, v) => h with { Firmware = v }),
        ["firmware_volume"] = HostPath("valid_firmware_paths", h => (h as QemuConfig)?.ValidFirmwarePaths, (h, v) => (QemuConfig)h with { FirmwareVolume = v }),
        ["virtio_fs_daemon"] = HostPath("valid_virtio_fs_daemon_paths", h => h.ValidVirtioFsDaemonPaths, (h, v) => h with { VirtioFsDaemon = v }),
        ["file_mem_backend"] = HostPath("valid_file_mem_backends", h => (h as QemuConfig)?.ValidFileMemBackends, (h, v) => (QemuConfig)h with { FileMemBackend = v }),
        ["entropy_source"] = HostPath("valid_entropy_sources", h => (h as QemuConfig)?.ValidEntropySources, (h, v) => (QemuConfig)h with { EntropySource = v }),
        ["vhost_user_store_path"] = HostPath("valid_vhost_user_store_paths", h => (h as QemuConfig)?.ValidVhostUserStorePaths, (h, v) => (QemuConfig)h with { VhostUserStorePath = v }),

        // Guest side and TEE.
        ["kernel_params"] = KernelParamsHandler,
        ["kernel_verity_params"] = Text(null, (h, v) => h with { KernelVerityParams = v }),
        ["cc_init_data"] = (s, v) =>
        {
            if (AnnotationValues.CheckInitData(v) is { } error)
            {
                return error;
            }

            s.Hypervisor = s.Hypervisor with { CcInitData = v };
            return null;
        },
        ["guest_hook_path"] = Text(StringRule.AbsolutePathOrEmpty, (h, v) => h with { GuestHookPath = v }),

        // Machine and CPU.
        ["machine_type"] = QemuText(StringRule.MachineType, (q, v) => q with { MachineType = QemuMachineType.Parse(v) }),
        ["machine_accelerators"] = QemuText(null, (q, v) => q with { MachineAccelerators = v }),
        ["cpu_features"] = QemuText(null, (q, v) => q with { CpuFeatures = v }),
        ["default_vcpus"] = (s, v) =>
        {
            if (!AnnotationValues.TryFloat(v, out var vcpus) || vcpus <= 0 || vcpus > 1024)
            {
                return $"expected a number of vCPUs between 0 (exclusive) and 1024, {AnnotationValues.Found(v)}";
            }

            s.Hypervisor = s.Hypervisor with { DefaultVcpus = vcpus };
            return null;
        },
        ["default_max_vcpus"] = UInt(1, 1024, "an integer number of vCPUs between 1 and 1024", (h, n) => h with { DefaultMaxVcpus = (int)n }),

        // Memory.
        ["default_memory"] = DefaultMemoryHandler,
        ["memory_slots"] = UInt(1, int.MaxValue, "an integer >= 1", (h, n) => h with { MemorySlots = (int)n }),
        ["memory_offset"] = QemuUInt(0, long.MaxValue, "an integer number of MiB >= 0", (q, n) => q with { MemoryOffsetMiB = (long)n }),
        ["enable_virtio_mem"] = Bool((h, b) => h with { EnableVirtioMem = b }),
        ["enable_mem_prealloc"] = Bool((h, b) => h with { EnableMemPrealloc = b }),
        ["enable_hugepages"] = Bool((h, b) => h with { EnableHugePages = b }),
        ["reclaim_guest_freed_memory"] = QemuBool((q, b) => q with { ReclaimGuestFreedMemory = b }),
        ["enable_guest_swap"] = Bool((h, b) => h with { EnableGuestSwap = b }),

        // Devices.
        ["enable_iommu"] = Bool((h, b) => h with { EnableIommu = b }),
        ["enable_iommu_platform"] = Bool((h, b) => h with { EnableIommuPlatform = b }),
        ["block_device_driver"] = Choice(ConfigChoices.BlockDeviceDriver, (h, d) => h with { BlockDeviceDriver = d }),
        ["block_device_aio"] = (s, v) => s.Hypervisor is QemuConfig
            ? Choice(ConfigChoices.BlockDeviceAio, (h, a) => (QemuConfig)h with { BlockDeviceAio = a })(s, v)
            : NotForKind(s),
        ["disable_block_device_use"] = Bool((h, b) => h with { DisableBlockDeviceUse = b }),
        ["enable_iothreads"] = QemuBool((q, b) => q with { EnableIoThreads = b }),
        ["block_device_cache_set"] = QemuBool((q, b) => q with { BlockDeviceCacheSet = b }),
        ["block_device_cache_direct"] = QemuBool((q, b) => q with { BlockDeviceCacheDirect = b }),
        ["block_device_cache_noflush"] = QemuBool((q, b) => q with { BlockDeviceCacheNoflush = b }),
        ["disable_image_nvdimm"] = QemuBool((q, b) => q with { DisableImageNvdimm = b }),
        ["disable_vhost_net"] = QemuBool((q, b) => q with { DisableVhostNet = b }),
        ["enable_vhost_user_store"] = QemuBool((q, b) => q with { EnableVhostUserStore = b }),
        ["vhost_user_reconnect_timeout_sec"] = QemuUInt(0, 86_400, "an integer number of seconds between 0 and 86400", (q, n) => q with { VhostUserReconnectTimeout = TimeSpan.FromSeconds(n) }),
        ["hot_plug_vfio"] = Choice(ConfigChoices.PciePort, (h, p) => h with { HotPlugVfio = p }),
        ["cold_plug_vfio"] = Choice(ConfigChoices.PciePort, (h, p) => h with { ColdPlugVfio = p }),
        ["pcie_root_port"] = UInt(0, 16, "an integer between 0 and 16", (h, n) => h with { PcieRootPort = (int)n }),
        ["pcie_switch_port"] = UInt(0, 16, "an integer between 0 and 16", (h, n) => h with { PcieSwitchPort = (int)n }),
        ["rx_rate_limiter_max_rate"] = UInt(0, long.MaxValue, "an integer number of bits/s >= 0", (h, n) => h with { RxRateLimiterMaxRate = (long)n }),
        ["tx_rate_limiter_max_rate"] = UInt(0, long.MaxValue, "an integer number of bits/s >= 0", (h, n) => h with { TxRateLimiterMaxRate = (long)n }),
        ["use_legacy_serial"] = Bool((h, b) => h with { UseLegacySerial = b }),
        ["rootless"] = Bool((h, b) => h with { Rootless = b }),

        // Shared file system.
        ["shared_fs"] = Choice(ConfigChoices.SharedFs, (h, f) => h with { SharedFs = f }),
        ["virtio_fs_cache"] = Choice(ConfigChoices.VirtioFsCache, (h, c) => h with { VirtioFsCache = c }),
        ["virtio_fs_cache_size"] = UInt(0, int.MaxValue, "an integer number of MiB >= 0", (h, n) => h with { VirtioFsCacheSizeMiB = (int)n }),
        ["virtio_fs_extra_args"] = (s, v) =>
        {
            if (!AnnotationValues.TryStringArray(v, out var args))
            {
                return $"expected a JSON array of strings, {AnnotationValues.Found(v)}";
            }

            s.Hypervisor = s.Hypervisor with { VirtioFsExtraArgs = args };
            return null;
        },
        ["msize_9p"] = QemuUInt(1, int.MaxValue, "an integer number of bytes >= 1", (q, n) => q with { Msize9p = (int)n }),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>
    /// Kata caps guest memory at <c>default_maxmemory</c>, or at the host's RAM when that is 0 or larger; a request above
    /// the cap is refused here rather than left for QEMU (or the host's OOM killer, since TEE memory is pinned).
    /// </summary>
    private static string? DefaultMemoryHandler(Overrides s, string value)
    {
        if (!AnnotationValues.TryUInt(value, int.MaxValue, out var mib) || mib < HypervisorBinder.MinimumMemoryMiB)
        {
            return $"expected an integer number of MiB >= {HypervisorBinder.MinimumMemoryMiB}, {AnnotationValues.Found(value)}";
        }

        long host;
        try
        {
            host = s.HostMemory.TotalMiB();
        }
        catch (InvalidOperationException e)
        {
            // Without the host's size there is no ceiling to check against: refuse rather than allow any amount.
            return e.Message;
        }

        var configuredMax = s.Hypervisor.DefaultMaxMemoryMiB;
        var max = configuredMax <= 0 || configuredMax > host ? host : configuredMax;
        if ((long)mib > max)
        {
            var why = configuredMax <= 0
                ? $"the host's memory; default_maxmemory in [{SectionName(s.Hypervisor)}] is 0"
                : configuredMax > host
                    ? $"the host's memory, below default_maxmemory ({configuredMax} MiB) in [{SectionName(s.Hypervisor)}]"
                    : $"default_maxmemory in [{SectionName(s.Hypervisor)}]";
            return $"expected at most {max} MiB ({why}), found {mib} MiB";
        }

        s.Hypervisor = s.Hypervisor with { DefaultMemoryMiB = (int)mib };
        return null;
    }

    /// <summary>
    /// Kata: the annotation's parameters are added to the configured ones, a same-key parameter replacing the configured
    /// value. Sealpod also requires every name to be in <c>valid_annotation_kernel_params</c>, and printable ASCII only:
    /// tabs, newlines, byte 0xA0 (inside UTF-8 characters) and NUL split or end the guest's command line.
    /// </summary>
    private static string? KernelParamsHandler(Overrides s, string value)
    {
        var bad = value.AsSpan().IndexOfAnyExceptInRange((char)0x20, (char)0x7E);
        if (bad >= 0)
        {
            return $"expected printable ASCII (0x20-0x7E) only, found U+{(int)value[bad]:X4} at offset {bad}";
        }

        if (!KernelParameters.TryParse(value, out var parameters, out var error))
        {
            return $"expected space-separated kernel parameters, {error}";
        }

        var allowed = s.Hypervisor.ValidAnnotationKernelParams;
        var refused = parameters.Select(p => p.Key).Where(k => !allowed.Contains(k, StringComparer.Ordinal)).Distinct(StringComparer.Ordinal).ToArray();
        if (refused.Length > 0)
        {
            var names = string.Join(", ", refused.Select(k => $"\"{k}\""));
            var list = allowed.IsEmpty ? "is empty" : "allows only " + string.Join(", ", allowed);
            return $"kernel parameter{(refused.Length == 1 ? string.Empty : "s")} {names} may not be set by an annotation: valid_annotation_kernel_params in [{SectionName(s.Hypervisor)}] {list}";
        }

        s.Hypervisor = s.Hypervisor with { KernelParams = s.Hypervisor.KernelParams.Merge(parameters) };
        return null;
    }
}
