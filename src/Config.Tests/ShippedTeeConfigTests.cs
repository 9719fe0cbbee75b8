namespace Sealpod.Config.Tests;

/// <summary>Every configuration file Sealpod ships loads cleanly through the real loader and says what its comments say.</summary>
public sealed class ShippedTeeConfigTests
{
    private static readonly string[] CocoAnnotations =
        ["enable_iommu", "kernel_params", "kernel_verity_params", "default_vcpus", "default_memory", "cc_init_data"];

    // The QEMU driver sets up no dm-verity root and refuses kernel_verity_params, so its files do not offer it to pods.
    private static readonly string[] QemuCocoAnnotations = [.. CocoAnnotations.Where(a => a != "kernel_verity_params")];

    public static TheoryData<string> ShippedFiles() => [.. ShippedNames()];

    private static string[] ShippedNames() =>
        [.. Directory.GetFiles(Repository.Configs, "*.toml").Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal)];

    [Fact]
    public void The_issue_lists_these_files_and_all_of_them_ship()
    {
        Assert.Equal(
            [
                "configuration-clh-snp.toml", "configuration-clh-tdx.toml", "configuration-clh.toml", "configuration-qemu-coco-dev.toml",
                "configuration-qemu-se.toml", "configuration-qemu-sev.toml", "configuration-qemu-snp.toml", "configuration-qemu-tdx.toml",
                "configuration-qemu.toml",
            ],
            ShippedNames());
    }

    [Theory]
    [MemberData(nameof(ShippedFiles))]
    public async Task Every_shipped_file_loads_without_warnings_and_keeps_guest_assets_under_the_install_prefix(string name)
    {
        var config = await Load.ShippedAsync(name);

        Assert.Empty(config.Warnings);
        Assert.Empty(config.UnmodelledKeys);
        var h = config.Hypervisor;
        foreach (var asset in new[] { h.Kernel, h.Initrd, h.Image, h.Firmware, (h as CloudHypervisorConfig)?.Igvm ?? string.Empty }.Where(p => p.Length > 0))
        {
            Assert.StartsWith("/usr/share/sealpod/", asset, StringComparison.Ordinal);
        }

        if (h.ConfidentialGuest)
        {
            Assert.Equal(h is QemuConfig ? QemuCocoAnnotations : CocoAnnotations, h.EnableAnnotations);
            Assert.Equal(HypervisorConfig.DefaultAnnotationKernelParams, h.ValidAnnotationKernelParams);
            Assert.Equal(SharedFs.None, h.SharedFs);
            Assert.True(h.DisableBlockDeviceUse);
            Assert.True(config.Runtime.StaticSandboxResourceMgmt);
            Assert.Equal(EmptyDirMode.BlockEncrypted, config.Runtime.EmptyDirMode);
            Assert.False(config.Agent.DebugConsoleEnabled);
            Assert.False(h.EnableDebug);
            Assert.Empty(h.ValidKernelPaths);
            Assert.Empty(h.ValidFirmwarePaths);
            Assert.Equal(TimeSpan.FromSeconds(60), config.Runtime.CreateContainerTimeout);
        }
    }

    [Fact]
    public async Task Qemu_snp_matches_katas_snp_template()
    {
        var config = await Load.ShippedAsync("configuration-qemu-snp.toml");
        var q = Assert.IsType<QemuConfig>(config.Hypervisor);

        Assert.Equal((QemuMachineType.Q35, true, true), (q.MachineType, q.ConfidentialGuest, q.SevSnpGuest));
        Assert.Equal(0x30000UL, q.SnpGuestPolicy);
        Assert.Equal((string.Empty, string.Empty, string.Empty), (q.SnpIdBlock, q.SnpIdAuth, q.SnpCertsPath));
        Assert.Equal("/usr/share/sealpod/AMDSEV.fd", q.Firmware);
        Assert.Equal("/usr/share/sealpod/sealpod-initrd.img", q.Initrd);
        Assert.Equal("pmu=off", q.CpuFeatures);
        Assert.Equal((1f, 2048, 10), (q.DefaultVcpus, q.DefaultMemoryMiB, q.MemorySlots));
        Assert.Equal(BlockDeviceDriver.VirtioScsi, q.BlockDeviceDriver);
        Assert.Equal(TimeSpan.FromSeconds(90), config.Agent.DialTimeout);
        Assert.Empty(q.KernelParams);
        Assert.Contains("/usr/local/bin/qemu-system-x86_64", q.ValidHypervisorPaths);
    }

    [Fact]
    public async Task Qemu_tdx_matches_katas_tdx_template()
    {
        var config = await Load.ShippedAsync("configuration-qemu-tdx.toml");
        var q = Assert.IsType<QemuConfig>(config.Hypervisor);

        Assert.Equal((QemuMachineType.Q35, true, false), (q.MachineType, q.ConfidentialGuest, q.SevSnpGuest));
        Assert.Equal(0, q.TdxQuoteGenerationServiceSocketPort);
        Assert.Equal("/usr/share/sealpod/OVMF.inteltdx.fd", q.Firmware);
        Assert.Equal("pmu=off", q.CpuFeatures);
        Assert.Equal(TimeSpan.FromSeconds(60), config.Agent.DialTimeout);
    }

    [Fact]
    public async Task Qemu_se_boots_the_se_image_on_s390x()
    {
        var config = await Load.ShippedAsync("configuration-qemu-se.toml");
        var q = Assert.IsType<QemuConfig>(config.Hypervisor);

        Assert.Equal((QemuMachineType.S390CcwVirtio, true), (q.MachineType, q.ConfidentialGuest));
        Assert.Equal("/usr/bin/qemu-system-s390x", q.Path);
        Assert.Equal("/usr/share/sealpod/sealpod-se.img", q.Kernel);
        Assert.Equal((string.Empty, string.Empty, string.Empty), (q.Initrd, q.Image, q.Firmware));
        Assert.Equal(BlockDeviceDriver.VirtioScsi, q.BlockDeviceDriver);
        Assert.Equal(string.Empty, q.CpuFeatures);
        Assert.Equal(TimeSpan.FromSeconds(90), config.Agent.DialTimeout);
    }

    [Fact]
    public async Task Qemu_sev_pre_attests_with_simple_kbs_as_in_the_coco_sev_guide()
    {
        var config = await Load.ShippedAsync("configuration-qemu-sev.toml");
        var q = Assert.IsType<QemuConfig>(config.Hypervisor);

        Assert.Equal((true, false), (q.ConfidentialGuest, q.SevSnpGuest));
        Assert.Equal(3u, q.SevGuestPolicy);
        Assert.True(q.GuestPreAttestation);
        Assert.Equal("localhost:44444", q.GuestPreAttestationKbsUri);
        Assert.Equal(KbsMode.Online, q.GuestPreAttestationKbsMode);
        Assert.Equal("KEYSET-1", q.GuestPreAttestationKeyset);
        Assert.Equal(TimeSpan.FromSeconds(10), q.GuestPreAttestationGrpcTimeout);
        Assert.Equal((string.Empty, string.Empty), (q.GuestPreAttestationSecretGuid, q.GuestPreAttestationSecretType));
        Assert.Equal("/opt/sev/cert_chain.cert", q.SevCertChain);
        Assert.Equal("/usr/share/sealpod/OVMF.amdsev.fd", q.Firmware);
    }

    [Fact]
    public async Task Cloud_hypervisor_files_cover_plain_tdx_and_snp()
    {
        var plain = await Load.ShippedAsync("configuration-clh.toml");
        var tdx = await Load.ShippedAsync("configuration-clh-tdx.toml");
        var snp = await Load.ShippedAsync("configuration-clh-snp.toml");

        var p = Assert.IsType<CloudHypervisorConfig>(plain.Hypervisor);
        Assert.False(p.ConfidentialGuest);
        Assert.Equal(SharedFs.VirtioFs, p.SharedFs);
        Assert.Equal("/usr/bin/cloud-hypervisor", p.Path);
        Assert.Equal("/usr/share/sealpod/vmlinux", p.Kernel);
        Assert.Equal(BlockDeviceDriver.VirtioBlk, p.BlockDeviceDriver);
        Assert.False(plain.Runtime.StaticSandboxResourceMgmt);

        var t = Assert.IsType<CloudHypervisorConfig>(tdx.Hypervisor);
        Assert.Equal((true, false, "/usr/share/sealpod/td-shim.bin"), (t.ConfidentialGuest, t.SevSnpGuest, t.Firmware));
        Assert.Equal(TimeSpan.FromSeconds(60), tdx.Agent.DialTimeout);

        var s = Assert.IsType<CloudHypervisorConfig>(snp.Hypervisor);
        Assert.Equal((true, true), (s.ConfidentialGuest, s.SevSnpGuest));
        Assert.Equal("/usr/share/sealpod/sealpod.igvm", s.Igvm);
        Assert.Equal("/usr/share/sealpod/sealpod-confidential.img", s.Image);
        Assert.Equal(0x30000UL, s.SnpGuestPolicy);
        Assert.Equal(TimeSpan.FromSeconds(90), snp.Agent.DialTimeout);
    }
}
