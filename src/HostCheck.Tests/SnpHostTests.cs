namespace Sealpod.HostCheck.Tests;

/// <summary>An AMD EPYC Milan on bare metal with SEV, SEV-ES and SEV-SNP enabled (Fixtures/hosts/snp).</summary>
public sealed class SnpHostTests
{
    [Fact]
    public async Task Snp_configuration_passes_everything_it_needs()
    {
        var report = await HostRun.CheckAsync("snp", "configuration-qemu-snp.toml");

        Assert.True(report.Ready);
        Assert.Equal(0, report.ExitCode);
        Assert.DoesNotContain(report.Results, r => r.Status is CheckStatus.Fail or CheckStatus.Warn);
        Assert.Equal([GuestProtection.Snp, GuestProtection.SevEs, GuestProtection.Sev], report.GuestProtections);
        foreach (var id in new[]
        {
            CheckIds.CpuVirtualization, CheckIds.KvmModule, CheckIds.KvmBackend, CheckIds.KvmDevice, CheckIds.VhostModule,
            CheckIds.VhostNet, CheckIds.VhostVsock, CheckIds.AmdSme, CheckIds.AmdSev, CheckIds.AmdSevEs, CheckIds.AmdSevSnp,
            CheckIds.AmdFirmware, CheckIds.AmdCbitpos, CheckIds.AmdSnpKernel, CheckIds.HostSelinux, CheckIds.HostCgroup,
            CheckIds.ConfigLoad, CheckIds.ConfigHypervisor, CheckIds.ConfigKernel, CheckIds.ConfigInitrd, CheckIds.ConfigFirmware,
            CheckIds.ConfigCertChain, CheckIds.ConfigTeeObject, CheckIds.ConfigTeeHost, CheckIds.ContainerdConfig,
            CheckIds.ContainerdRuntime, CheckIds.ContainerdConfigPath, CheckIds.ContainerdPodAnnotations, CheckIds.ContainerdShim,
        })
        {
            var result = report.Get(id);
            Assert.True(result.Status == CheckStatus.Pass, $"{id}: {result.Status} {result.Summary}");
            Assert.Null(result.Remedy);
        }

        report.Expect(CheckIds.IntelTdx, CheckStatus.Skip);
        report.Expect(CheckIds.IbmSe, CheckStatus.Skip);
        report.Expect(CheckIds.ConfigImage, CheckStatus.Skip);
    }

    [Fact]
    public async Task Sev_snp_evidence_names_the_parameter_cpuid_and_firmware()
    {
        var report = await HostRun.CheckAsync("snp", "configuration-qemu-snp.toml");

        var snp = report.Get(CheckIds.AmdSevSnp);
        Assert.Equal("Y", snp.EvidenceValue("/sys/module/kvm_amd/parameters/sev_snp"));
        Assert.Contains("SNP=1", snp.EvidenceValue("cpuid 0x8000001f"), StringComparison.Ordinal);
        Assert.Equal("sev_snp", snp.EvidenceValue("/proc/cpuinfo flags"));

        var firmware = report.Get(CheckIds.AmdFirmware);
        Assert.Equal("SEV firmware API 1.55 build 21 (INIT)", firmware.Summary);
        Assert.StartsWith("API 1.55 build 21", firmware.EvidenceValue("ioctl SEV_ISSUE_CMD(SEV_PLATFORM_STATUS)"), StringComparison.Ordinal);

        // EBX = 0x4173: C-bit 51 (bits 5:0), 5 physical address bits lost (bits 11:6).
        Assert.Equal("cbitpos=51, reduced-phys-bits=5", report.Get(CheckIds.AmdCbitpos).Summary);
        Assert.Equal("SME is active", report.Get(CheckIds.AmdSme).Summary);
        Assert.Equal("mem_encrypt=on", report.Get(CheckIds.AmdSme).EvidenceValue("/proc/cmdline"));
        Assert.Equal("kernel 6.11.0 >= 6.11", report.Get(CheckIds.AmdSnpKernel).Summary);
    }

    [Fact]
    public async Task Bare_metal_kvm_is_reported_as_hardware_and_the_vm_probe_ran()
    {
        var probe = new FixtureHostProbe("snp");
        var report = await HostRun.CheckAsync(probe);

        Assert.Equal("hardware virtualization (kvm_amd) on bare metal", report.Get(CheckIds.KvmBackend).Summary);
        Assert.Equal("no hypervisor signature", report.Get(CheckIds.KvmBackend).EvidenceValue("cpuid 0x40000000"));
        Assert.Equal("lm sse4_1 svm no-hypervisor", report.Get(CheckIds.CpuVirtualization).EvidenceValue("/proc/cpuinfo flags"));
        Assert.Equal("12", report.Get(CheckIds.KvmDevice).EvidenceValue("ioctl KVM_GET_API_VERSION"));
        Assert.Equal(1, probe.KvmProbes);
    }

    [Fact]
    public async Task Qemu_object_list_is_read_from_the_configured_binary()
    {
        var probe = new FixtureHostProbe("snp");
        var report = await HostRun.CheckAsync(probe, "configuration-qemu-snp.toml");

        Assert.Contains("/usr/bin/qemu-system-x86_64 -object help", probe.CommandsRun);
        var tee = report.Get(CheckIds.ConfigTeeObject);
        Assert.Equal("/usr/bin/qemu-system-x86_64 has sev-snp-guest", tee.Summary);
        Assert.Equal("sev-guest, sev-snp-guest, no tdx-guest, no s390-pv-guest", tee.EvidenceValue("/usr/bin/qemu-system-x86_64 -object help"));
    }

    [Fact]
    public async Task Containerd_path_comes_from_the_running_containerd()
    {
        var report = await HostRun.CheckAsync("snp");

        var shim = report.Expect(CheckIds.ContainerdShim, CheckStatus.Pass);
        Assert.Equal("/usr/local/bin/containerd-shim-sealpod-v2", shim.Summary);
        Assert.Equal("/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", shim.EvidenceValue("/proc/4242/environ PATH"));
        Assert.Equal("sealpod runtime: sealpod-qemu-snp", report.Get(CheckIds.ContainerdRuntime).Summary);
    }

    [Fact]
    public async Task A_tdx_configuration_on_an_snp_host_is_judged_as_the_sev_guest_the_shim_would_launch()
    {
        var report = await HostRun.CheckAsync("snp", "configuration-qemu-tdx.toml");

        // The shim's planner asks the host, as Kata does: this host's TEE is SEV (no sev_snp_guest), so that is checked.
        Assert.False(report.Ready);
        var teeHost = report.Expect(CheckIds.ConfigTeeHost, CheckStatus.Pass);
        Assert.Equal("sev", teeHost.EvidenceValue($"{FixturePaths.Config("configuration-qemu-tdx.toml")} TEE"));

        // The SNP host has no TDVF image the file names: the launch would still fail there, and the check says so.
        var firmware = report.Expect(CheckIds.ConfigFirmware, CheckStatus.Fail);
        Assert.Equal("absent", firmware.EvidenceValue("/usr/share/ovmf/OVMF.inteltdx.fd"));
        report.Expect(CheckIds.IntelTdxQgs, CheckStatus.Skip);
    }
}
