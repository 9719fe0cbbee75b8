namespace Sealpod.HostCheck.Tests;

/// <summary>A guest whose KVM is PVM-based, like Sealpod's CI machine (Fixtures/hosts/pvm).</summary>
public sealed class PvmHostTests
{
    [Fact]
    public async Task Pvm_is_detected_from_kvm_pvm_and_reported_with_its_evidence()
    {
        var report = await HostRun.CheckAsync("pvm");

        var backend = report.Expect(CheckIds.KvmBackend, CheckStatus.Warn);
        Assert.StartsWith("KVM is PVM-based (kvm_pvm, inside a KVM guest)", backend.Summary, StringComparison.Ordinal);
        Assert.Equal("present, no initstate (built in)", backend.EvidenceValue("/sys/module/kvm_pvm"));
        Assert.Equal("absent", backend.EvidenceValue("/sys/module/kvm_amd"));
        Assert.Equal("nested_pvm=1", backend.EvidenceValue("/proc/cmdline"));
        Assert.Equal("signature \"KVMKVMKVM\"", backend.EvidenceValue("cpuid 0x40000000"));
        Assert.Contains("TCG", backend.Remedy, StringComparison.Ordinal);

        var cpu = report.Expect(CheckIds.CpuVirtualization, CheckStatus.Warn);
        Assert.Equal("lm sse4_1 no-svm hypervisor", cpu.EvidenceValue("/proc/cpuinfo flags"));

        Assert.Equal("cgroup v1 with a hybrid v2 mount (/sys/fs/cgroup/unified)", report.Get(CheckIds.HostCgroup).Summary);
    }

    [Fact]
    public async Task Coco_dev_configuration_passes_or_warns_only()
    {
        var report = await HostRun.CheckAsync("pvm", "configuration-qemu-coco-dev.toml");

        report.AssertReady();
        report.Expect(CheckIds.KvmDevice, CheckStatus.Pass);
        report.Expect(CheckIds.ConfigTeeObject, CheckStatus.Skip);
        report.Expect(CheckIds.ConfigTeeHost, CheckStatus.Skip);

        // A loaded configuration that needs no TEE makes the missing TEEs irrelevant (SKIP), not warnings.
        Assert.All(report.Results.Where(r => r.Id.StartsWith("amd.sev", StringComparison.Ordinal)), r => Assert.Equal(CheckStatus.Skip, r.Status));
    }

    [Fact]
    public async Task Snp_configuration_fails_on_pvm_with_qemu_7_2()
    {
        var report = await HostRun.CheckAsync("pvm", "configuration-qemu-snp.toml");

        Assert.False(report.Ready);
        var snp = report.Expect(CheckIds.AmdSevSnp, CheckStatus.Fail);
        Assert.Equal("AMD SEV-SNP unavailable: kvm_amd is not loaded", snp.Summary);
        Assert.Equal("This host is a VM without kvm_amd: AMD SEV-SNP needs a bare-metal AMD EPYC host.", snp.Remedy);

        Assert.Equal("sev-guest, no sev-snp-guest, no tdx-guest, no s390-pv-guest",
            report.Get(CheckIds.ConfigTeeObject).EvidenceValue("/usr/bin/qemu-system-x86_64 -object help"));
        var teeHost = report.Expect(CheckIds.ConfigTeeHost, CheckStatus.Fail);
        Assert.Contains("configuration-qemu-coco-dev.toml", teeHost.Remedy, StringComparison.Ordinal);
        report.Expect(CheckIds.AmdCbitpos, CheckStatus.Fail);

        // The kernel is new enough; SNP is missing for other reasons.
        report.Expect(CheckIds.AmdSnpKernel, CheckStatus.Pass);
    }
}
