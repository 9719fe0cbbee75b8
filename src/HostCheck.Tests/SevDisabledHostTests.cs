namespace Sealpod.HostCheck.Tests;

/// <summary>
/// An AMD EPYC whose BIOS has SEV off: CPUID still reports SEV, kvm_amd sev=N, no /dev/sev, Linux 6.8; plus SELinux
/// enforcing, cgroup v1 and a broken containerd setup (Fixtures/hosts/sev-disabled).
/// </summary>
public sealed class SevDisabledHostTests
{
    [Fact]
    public async Task Snp_configuration_fails_with_the_reasons_and_remedies()
    {
        var report = await HostRun.CheckAsync("sev-disabled", "configuration-qemu-snp.toml");

        Assert.False(report.Ready);
        Assert.Equal(1, report.ExitCode);
        Assert.Equal([GuestProtection.None], report.GuestProtections);

        var snp = report.Expect(CheckIds.AmdSevSnp, CheckStatus.Fail);
        Assert.Equal("AMD SEV-SNP unavailable: this kvm_amd has no sev_snp parameter (kernel 6.8.0-31-generic)", snp.Summary);
        Assert.Equal("<not found>", snp.EvidenceValue("/sys/module/kvm_amd/parameters/sev_snp"));
        Assert.Contains("kvm_amd.sev_snp=1", snp.Remedy, StringComparison.Ordinal);

        var kernel = report.Expect(CheckIds.AmdSnpKernel, CheckStatus.Fail);
        Assert.Equal("kernel 6.8.0 predates upstream SNP host support (Linux 6.11)", kernel.Summary);
        Assert.Contains("upstream SEV-SNP host support landed in Linux 6.11", kernel.Remedy, StringComparison.Ordinal);

        var firmware = report.Expect(CheckIds.AmdFirmware, CheckStatus.Fail);
        Assert.Equal("absent", firmware.EvidenceValue("/dev/sev"));
        Assert.Contains("modprobe ccp", firmware.Remedy, StringComparison.Ordinal);

        var teeObject = report.Expect(CheckIds.ConfigTeeObject, CheckStatus.Fail);
        Assert.Equal("sev-guest, no sev-snp-guest, no tdx-guest, no s390-pv-guest", teeObject.EvidenceValue("/usr/bin/qemu-system-x86_64 -object help"));
        Assert.Contains("QEMU 9.1", teeObject.Remedy, StringComparison.Ordinal);

        report.Expect(CheckIds.ConfigTeeHost, CheckStatus.Fail);

        // Not what this configuration needs: judged SKIP, the evidence still shows the state.
        var sev = report.Expect(CheckIds.AmdSev, CheckStatus.Skip);
        Assert.Equal("N", sev.EvidenceValue("/sys/module/kvm_amd/parameters/sev"));
    }

    [Fact]
    public async Task Sev_disabled_in_firmware_is_told_from_a_cpu_without_sev()
    {
        var report = await HostRun.CheckAsync("sev-disabled");

        var sev = report.Expect(CheckIds.AmdSev, CheckStatus.Warn);
        Assert.Equal("AMD SEV is supported by the CPU but disabled in KVM (kvm_amd sev=N)", sev.Summary);
        Assert.Contains("SEV=1", sev.EvidenceValue("cpuid 0x8000001f"), StringComparison.Ordinal);
        Assert.Equal("no-sev", sev.EvidenceValue("/proc/cpuinfo flags"));
        Assert.StartsWith("Enable SMEE (memory encryption) and SEV in the BIOS/UEFI setup", sev.Remedy, StringComparison.Ordinal);
        Assert.Contains("kvm_amd.sev=1", sev.Remedy, StringComparison.Ordinal);

        var sme = report.Expect(CheckIds.AmdSme, CheckStatus.Warn);
        Assert.Equal("the CPU supports SME but it is not active", sme.Summary);
        Assert.Equal("no mem_encrypt", sme.EvidenceValue("/proc/cmdline"));

        // CPUID describes the silicon whatever the BIOS says, so the C-bit is still known.
        report.Expect(CheckIds.AmdCbitpos, CheckStatus.Pass);
    }

    [Fact]
    public async Task Sev_configuration_needs_sev_and_the_pre_attestation_cert_chain()
    {
        var report = await HostRun.CheckAsync("sev-disabled", "configuration-qemu-sev.toml");

        report.Expect(CheckIds.AmdSev, CheckStatus.Fail);
        var chain = report.Expect(CheckIds.ConfigCertChain, CheckStatus.Fail);
        Assert.Equal("/opt/sev/cert_chain.cert", chain.EvidenceValue("hypervisor.qemu.sev_cert_chain"));
        Assert.Equal("absent", chain.EvidenceValue("/opt/sev/cert_chain.cert"));
        Assert.Equal("/usr/bin/qemu-system-x86_64 has sev-guest", report.Get(CheckIds.ConfigTeeObject).Summary);
        report.Expect(CheckIds.AmdSevSnp, CheckStatus.Skip);
        report.Expect(CheckIds.AmdSnpKernel, CheckStatus.Skip);
    }

    [Fact]
    public async Task Selinux_enforcing_and_cgroup_v1_are_reported()
    {
        var report = await HostRun.CheckAsync("sev-disabled");

        var selinux = report.Expect(CheckIds.HostSelinux, CheckStatus.Fail);
        Assert.Equal("1", selinux.EvidenceValue("/sys/fs/selinux/enforce"));
        Assert.Contains("setenforce 0", selinux.Remedy, StringComparison.Ordinal);

        var cgroup = report.Expect(CheckIds.HostCgroup, CheckStatus.Warn);
        Assert.Equal("cgroup v1 (legacy hierarchy)", cgroup.Summary);
        Assert.Contains("systemd.unified_cgroup_hierarchy=1", cgroup.Remedy, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Broken_containerd_runtime_entries_fail()
    {
        var report = await HostRun.CheckAsync("sev-disabled");

        Assert.Equal("sealpod runtimes: sealpod-qemu-snp, sealpod-qemu-sev", report.Get(CheckIds.ContainerdRuntime).Summary);

        var configPath = report.Expect(CheckIds.ContainerdConfigPath, CheckStatus.Fail);
        Assert.Equal(
            "/opt/sealpod/configuration-qemu-snp.toml (absent)",
            configPath.EvidenceValue("plugins.\"io.containerd.grpc.v1.cri\".containerd.runtimes.sealpod-qemu-snp.options.ConfigPath"));
        Assert.Equal("<unset>", configPath.EvidenceValue("plugins.\"io.containerd.grpc.v1.cri\".containerd.runtimes.sealpod-qemu-sev.options.ConfigPath"));

        var annotations = report.Expect(CheckIds.ContainerdPodAnnotations, CheckStatus.Fail);
        Assert.StartsWith("sealpod-qemu-snp drops io.katacontainers.config.hypervisor.cc_init_data", annotations.Summary, StringComparison.Ordinal);
        Assert.DoesNotContain("sealpod-qemu-sev", annotations.Summary, StringComparison.Ordinal);
        Assert.Contains("pod_annotations = [\"io.katacontainers.*\"]", annotations.Remedy, StringComparison.Ordinal);

        // A runtime is configured but its shim is nowhere: pods would fail, so this is FAIL, not WARN.
        var shim = report.Expect(CheckIds.ContainerdShim, CheckStatus.Fail);
        Assert.Equal("containerd-shim-sealpod-v2 is not on containerd's PATH: pods with the sealpod runtime cannot start", shim.Summary);
    }
}
