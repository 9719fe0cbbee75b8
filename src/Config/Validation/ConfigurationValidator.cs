namespace Sealpod.Config;

/// <summary>
/// Cross-field rules that need nothing but the configuration itself (no host probing): vCPU and memory bounds,
/// TEE key combinations, SNP ID block sizes, image/initrd exclusivity and Kata's other consistency checks. Every
/// failure is collected; positions come from the source map so each names file:line:column.
/// </summary>
internal static class ConfigurationValidator
{
    internal const int SnpIdBlockBytes = 96;
    internal const int SnpIdAuthBytes = 4096;

    /// <summary>SEV policy bit 2 (ES): the guest's register state is encrypted too.</summary>
    internal const uint SevEsPolicyBit = 0x4;

    /// <param name="validateHypervisor">False when there is no real hypervisor section: its rules would judge a placeholder.</param>
    public static void Validate(SealpodConfiguration config, DiagnosticBag diagnostics, bool validateHypervisor = true)
    {
        var context = new Context(config, diagnostics);
        if (validateHypervisor)
        {
            ValidateBootAssets(context);
            ValidateSizing(context);
            ValidateConfidential(context);
            ValidateDevices(context);
        }

        ValidateRuntime(context);
    }

    private static void ValidateBootAssets(Context c)
    {
        var h = c.Hypervisor;
        var secureExecution = h is QemuConfig { ConfidentialGuest: true, MachineType.IsS390: true };
        if (secureExecution)
        {
            // IBM SE boots the encrypted SE image given as the kernel; a separate initrd or disk image would be unprotected.
            foreach (var (key, value) in new[] { ("image", h.Image), ("initrd", h.Initrd) })
            {
                if (value.Length > 0)
                {
                    c.Error(key, "must be empty for IBM Secure Execution (the kernel is the SE boot image)");
                }
            }
        }
        else if (h.Image.Length > 0 && h.Initrd.Length > 0)
        {
            c.Error("initrd", "set together with image; set only one of them", "image", "initrd");
        }
        else if (h.Image.Length == 0 && h.Initrd.Length == 0)
        {
            c.Error(null, "either initrd or image must be set", "image", "initrd");
        }

        if (c.Config.Factory.EnableTemplate && h.Initrd.Length == 0)
        {
            c.ErrorAt("factory.enable_template", "VM templating requires an initrd (image is not supported)");
        }
    }

    private static void ValidateSizing(Context c)
    {
        var h = c.Hypervisor;
        if (h.DefaultVcpus > 0 && h.DefaultMaxVcpus > 0 && Math.Ceiling(h.DefaultVcpus) > h.DefaultMaxVcpus)
        {
            c.Error("default_vcpus", $"expected at most default_maxvcpus ({h.DefaultMaxVcpus}) vCPUs, found {h.DefaultVcpus}", "default_vcpus", "default_maxvcpus");
        }

        if (h.DefaultMaxMemoryMiB > 0 && h.DefaultMemoryMiB > h.DefaultMaxMemoryMiB)
        {
            c.Error("default_memory", $"expected at most default_maxmemory ({h.DefaultMaxMemoryMiB} MiB), found {h.DefaultMemoryMiB} MiB", "default_memory", "default_maxmemory");
        }
    }

    private static void ValidateConfidential(Context c)
    {
        var h = c.Hypervisor;
        if (h.SevSnpGuest && !h.ConfidentialGuest)
        {
            c.Error("sev_snp_guest", "requires confidential_guest = true", "confidential_guest");
        }

        // QEMU refuses to launch an SNP guest whose policy clears the reserved-must-be-one bit 17.
        if ((h.SnpGuestPolicy & (1UL << 17)) == 0)
        {
            c.Error("snp_guest_policy", $"bit 17 is reserved and must be set (QEMU's default is 0x30000 = 196608), found 0x{h.SnpGuestPolicy:x}");
        }

        if (h.ConfidentialGuest && h.BlockDeviceDriver is BlockDeviceDriver.VirtioMmio or BlockDeviceDriver.Nvdimm)
        {
            c.Error("block_device_driver", $"\"{ConfigChoices.BlockDeviceDriver.NameOf(h.BlockDeviceDriver)}\" cannot be used with confidential_guest = true", "confidential_guest");
        }

        if (h.ConfidentialGuest && h.EnableVirtioMem)
        {
            c.Error("enable_virtio_mem", "memory hot-plug cannot be used with confidential_guest = true (TEE memory is fixed and measured at launch); set it to false", "confidential_guest");
        }

        switch (h)
        {
            case QemuConfig q:
                ValidateQemuTee(c, q);
                ValidateSnpIdentity(c, q);
                ValidatePreAttestation(c, q);
                break;
            case CloudHypervisorConfig clh:
                if (clh.SevSnpGuest && clh.Igvm.Length == 0)
                {
                    c.Error("sev_snp_guest", "requires igvm: Cloud Hypervisor boots SEV-SNP guests from an IGVM payload", "igvm");
                }
                else if (!clh.SevSnpGuest && clh.Igvm.Length > 0)
                {
                    c.Warning("igvm", "is only used with sev_snp_guest = true; ignored");
                }

                if (clh.ConfidentialGuest && !clh.SevSnpGuest && clh.Firmware.Length == 0)
                {
                    c.Error("firmware", "Cloud Hypervisor boots TDX guests from firmware (td-shim or TDVF): set firmware, or sev_snp_guest = true with igvm for SEV-SNP", "confidential_guest", "sev_snp_guest");
                }

                break;
        }
    }

    /// <summary>x86 TEEs launch from measured firmware; IBM SE boots its encrypted image directly.</summary>
    private static void ValidateQemuTee(Context c, QemuConfig q)
    {
        if (!q.ConfidentialGuest || q.MachineType.IsS390)
        {
            return;
        }

        if (q.MachineType.Family != QemuMachineFamily.Q35)
        {
            c.Error("machine_type", $"SEV, SEV-SNP and TDX guests need q35 (or pc-q35-X.Y), found \"{q.MachineType}\" (IBM Secure Execution uses \"s390-ccw-virtio\")", "confidential_guest");
        }

        if (q.Firmware.Length == 0)
        {
            c.Error("firmware", "must be set with confidential_guest = true: SEV, SEV-SNP and TDX guests boot measured firmware (AMDSEV.fd for SEV-SNP, OVMF for SEV, OVMF.inteltdx.fd for TDX)", "confidential_guest");
        }

        // disable_image_nvdimm = false is not an error: Kata's TDX template leaves it so and Kata then attaches the image
        // as virtio-blk anyway, which is what the driver does for every TEE guest.
    }

    private static void ValidateSnpIdentity(Context c, QemuConfig q)
    {
        var block = q.SnpIdBlock.Length > 0;
        var auth = q.SnpIdAuth.Length > 0;
        if (block != auth)
        {
            c.Error(block ? "snp_id_block" : "snp_id_auth", block ? "requires snp_id_auth to be set too" : "requires snp_id_block to be set too");
        }

        if (block)
        {
            CheckBase64(c, "snp_id_block", q.SnpIdBlock, SnpIdBlockBytes);
        }

        if (auth)
        {
            CheckBase64(c, "snp_id_auth", q.SnpIdAuth, SnpIdAuthBytes);
        }

        if ((block || auth) && !q.SevSnpGuest)
        {
            c.Warning(block ? "snp_id_block" : "snp_id_auth", "is only used with sev_snp_guest = true; ignored");
        }
    }

    private static void CheckBase64(Context c, string key, string value, int expectedBytes)
    {
        var buffer = new byte[(value.Length / 4 * 3) + 3];
        if (!Convert.TryFromBase64String(value, buffer, out var written))
        {
            c.Error(key, $"expected base64 of exactly {expectedBytes} bytes, found string that is not valid base64");
        }
        else if (written != expectedBytes)
        {
            c.Error(key, $"expected base64 of exactly {expectedBytes} bytes, found {written} bytes");
        }
    }

    private static void ValidatePreAttestation(Context c, QemuConfig q)
    {
        if (!q.GuestPreAttestation)
        {
            return;
        }

        if (!q.ConfidentialGuest)
        {
            c.Error("guest_pre_attestation", "requires confidential_guest = true");
        }

        if (q.SevSnpGuest)
        {
            c.Error("guest_pre_attestation", "is SEV/SEV-ES pre-attestation and cannot be combined with sev_snp_guest = true");
        }

        if (!IsHostPort(q.GuestPreAttestationKbsUri))
        {
            c.Error("guest_pre_attestation_kbs_uri", $"expected the key broker's host:port, found {ValueText.Quote(q.GuestPreAttestationKbsUri)}");
        }

        if (q.GuestPreAttestationKbsMode == KbsMode.Offline && q.GuestPreAttestationKeyset.Length == 0)
        {
            c.Error("guest_pre_attestation_keyset", "must name the keyset released in offline mode");
        }

        // The key broker checks the launch measurement against a digest the runtime computes; Sealpod computes the SEV
        // digest (firmware plus kernel hashes). SEV-ES adds the encrypted vCPU state, which it does not model.
        if ((q.SevGuestPolicy & SevEsPolicyBit) != 0)
        {
            c.Error("sev_guest_policy", $"0x{q.SevGuestPolicy:x} selects SEV-ES (bit 2), but guest_pre_attestation supports SEV only: Sealpod cannot compute an SEV-ES launch digest; clear bit 2 or set guest_pre_attestation = false", "guest_pre_attestation");
        }

        if (q.GuestPreAttestationSecretType.Length > 0)
        {
            var modeType = q.GuestPreAttestationKbsMode == KbsMode.Online ? "connection" : "bundle";
            if (q.GuestPreAttestationSecretType is "connection" or "bundle" && q.GuestPreAttestationSecretType != modeType)
            {
                c.Warning("guest_pre_attestation_secret_type", $"\"{q.GuestPreAttestationSecretType}\" overrides guest_pre_attestation_kbs_mode = \"{ConfigChoices.KbsMode.NameOf(q.GuestPreAttestationKbsMode)}\" (which implies \"{modeType}\")");
            }
        }
    }

    private static void ValidateDevices(Context c)
    {
        var h = c.Hypervisor;
        if (h.SharedFs is SharedFs.VirtioFs or SharedFs.VirtioFsNydus && h.VirtioFsDaemon.Length == 0)
        {
            c.Error("shared_fs", $"\"{ConfigChoices.SharedFs.NameOf(h.SharedFs)}\" requires virtio_fs_daemon to be set", "virtio_fs_daemon");
        }

        if (h.ConfidentialGuest && h.SharedFs is SharedFs.VirtioFs or SharedFs.VirtioFsNydus)
        {
            c.Error("shared_fs", $"\"{ConfigChoices.SharedFs.NameOf(h.SharedFs)}\" would give a confidential guest a filesystem the host controls; confidential configurations use \"none\"", "confidential_guest");
        }

        if (h is QemuConfig qemu)
        {
            ValidateQemuDevices(c, qemu);
        }

        if (VirtiofsdOptions.Check(h.VirtioFsExtraArgs) is { } refused)
        {
            c.Error("virtio_fs_extra_args", refused);
        }

        if (h is QemuConfig q)
        {
            if (QemuPropertyRules.CheckMachineAccelerators(q.MachineAccelerators) is { } machine)
            {
                c.Error("machine_accelerators", machine);
            }

            if (QemuPropertyRules.CheckCpuFeatures(q.CpuFeatures) is { } cpu)
            {
                c.Error("cpu_features", cpu);
            }
        }

        if (h.HotPlugVfio != PciePort.NoPort && h.ColdPlugVfio != PciePort.NoPort)
        {
            c.Error("cold_plug_vfio", "only one of hot_plug_vfio and cold_plug_vfio can be set");
        }
        else if (h is CloudHypervisorConfig)
        {
            if (h.ColdPlugVfio != PciePort.NoPort)
            {
                c.Error("cold_plug_vfio", "cold-plug is not supported by Cloud Hypervisor");
            }

            if (h.HotPlugVfio is not (PciePort.NoPort or PciePort.RootPort))
            {
                c.Error("hot_plug_vfio", "only \"root-port\" is supported by Cloud Hypervisor");
            }
        }

        if (c.Config.Factory.VmCacheNumber > 0 && h is not QemuConfig)
        {
            c.ErrorAt("factory.vm_cache_number", "the VM cache is only supported with QEMU");
        }
    }

    /// <summary>What the QEMU driver can build: the block drivers it renders, and what s390x's channel subsystem lacks.</summary>
    private static void ValidateQemuDevices(Context c, QemuConfig q)
    {
        var driver = ConfigChoices.BlockDeviceDriver.NameOf(q.BlockDeviceDriver);
        if (q.MachineType.IsS390)
        {
            if (q.BlockDeviceDriver != BlockDeviceDriver.VirtioScsi)
            {
                c.Error("block_device_driver", $"\"{driver}\" is not supported on s390x by the QEMU driver: expected \"virtio-scsi\" (a virtio-scsi-ccw controller)", "machine_type");
            }

            if (q.SharedFs is not SharedFs.None)
            {
                c.Error("shared_fs", $"\"{ConfigChoices.SharedFs.NameOf(q.SharedFs)}\" is not supported on s390x by the QEMU driver: expected \"none\"", "machine_type");
            }
        }
        else if (q.BlockDeviceDriver is not (BlockDeviceDriver.VirtioScsi or BlockDeviceDriver.VirtioBlk))
        {
            c.Error("block_device_driver", $"\"{driver}\" is not supported by the QEMU driver: expected \"virtio-scsi\" or \"virtio-blk\"");
        }
    }

    private static void ValidateRuntime(Context c)
    {
        var runtime = c.Config.Runtime;
        if (runtime.DisableNewNetNs && runtime.InternetworkingModel != InternetworkingModel.None)
        {
            c.ErrorAt("runtime.disable_new_netns", "only works with internetworking_model = \"none\"");
        }

        // Kata: two bind mounts with the same base name would land on the same place in the shared directory.
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var mount in runtime.SandboxBindMounts)
        {
            var path = RuntimeBinder.StripMode(mount).TrimEnd('/');
            var name = path[(path.LastIndexOf('/') + 1)..];
            if (!seen.TryAdd(name, mount))
            {
                c.ErrorAt("runtime.sandbox_bind_mounts", $"\"{mount}\" has the same base name as \"{seen[name]}\"");
            }
        }
    }

    private static bool IsHostPort(string value)
    {
        var colon = value.LastIndexOf(':');
        return colon > 0 && int.TryParse(value.AsSpan(colon + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port) && port is > 0 and <= 65_535;
    }

    private sealed class Context(SealpodConfiguration config, DiagnosticBag diagnostics)
    {
        public SealpodConfiguration Config { get; } = config;

        public HypervisorConfig Hypervisor => Config.Hypervisor;

        private string HypervisorPath => "hypervisor." + ConfigChoices.HypervisorKind.NameOf(Hypervisor.Kind);

        /// <summary>
        /// An error on a hypervisor key (the section itself when <paramref name="key"/> is null). Skipped when the key or
        /// one of <paramref name="involved"/> already failed to bind: the rule saw a default, not what the user wrote.
        /// </summary>
        public void Error(string? key, string message, params string[] involved)
        {
            if (involved.Any(k => diagnostics.HasErrorFor($"{HypervisorPath}.{k}")))
            {
                return;
            }

            ErrorAt(key is null ? HypervisorPath : $"{HypervisorPath}.{key}", message);
        }

        public void ErrorAt(string fullKey, string message)
        {
            if (!diagnostics.HasErrorFor(fullKey))
            {
                diagnostics.Error(fullKey, message, PositionOf(fullKey));
            }
        }

        public void Warning(string key, string message)
        {
            var fullKey = $"{HypervisorPath}.{key}";
            diagnostics.Warning(fullKey, message, PositionOf(fullKey));
        }

        /// <summary>The value's position, else the nearest enclosing table that was written.</summary>
        private TomlPosition? PositionOf(string fullKey)
        {
            if (Config.Sources.GetValuePosition(fullKey) is { } value)
            {
                return value;
            }

            for (var dot = fullKey.LastIndexOf('.'); dot > 0; dot = fullKey.LastIndexOf('.', dot - 1))
            {
                if (Config.Sources.GetKeyPosition(fullKey[..dot]) is { } enclosing)
                {
                    return enclosing;
                }
            }

            return null;
        }
    }
}
