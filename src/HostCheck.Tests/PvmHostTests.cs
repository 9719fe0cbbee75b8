using Sealpod.HostCheck.Checks;
using Sealpod.HostCheck.Tests.Support;

namespace Sealpod.HostCheck.Tests;

/// <summary>A guest whose KVM is PVM-based, like Sealpod's CI machine (Fixtures/hosts/pvm).</summary>
public sealed class PvmHostTests
{
    [Fact]
    public async Task Pvm_is_detected_from_kvm_pvm_and_reported_with_its_evidence()
    {
        var report = await HostRun.CheckAsync("pvm");

        var backend = report.Get(CheckIds.KvmBackend);
        Assert.Equal(CheckStatus.Warn, backend.Status);
        Assert.StartsWith("KVM is PVM-based (kvm_pvm, inside a KVM guest)", backend.Summary, StringComparison.Ordinal);
        Assert.Equal("present, no initstate (built in)", backend.EvidenceValue("/sys/module/kvm_pvm"));
        Assert.Equal("absent", backend.EvidenceValue("/sys/module/kvm_amd"));
        Assert.Equal("nested_pvm=1", backend.EvidenceValue("/proc/cmdline"));
        Assert.Equal("signature \"KVMKVMKVM\"", backend.EvidenceValue("cpuid 0x40000000"));
        Assert.Contains("TCG", backend.Remedy, StringComparison.Ordinal);

        var cpu = report.Get(CheckIds.CpuVirtualization);
        Assert.Equal(CheckStatus.Warn, cpu.Status);
        Assert.Equal("lm sse4_1 no-svm hypervisor", cpu.EvidenceValue("/proc/cpuinfo flags"));

        Assert.Equal("cgroup v1 with a hybrid v2 mount (/sys/fs/cgroup/unified)", report.Get(CheckIds.HostCgroup).Summary);
    }

    [Fact]
    public async Task Coco_dev_configuration_passes_or_warns_only()
    {
        var report = await HostRun.CheckAsync("pvm", "configuration-qemu-coco-dev.toml");

        Assert.True(report.Ready, string.Join("\n", report.Results.Where(r => r.Status == CheckStatus.Fail).Select(r => $"{r.Id}: {r.Summary}")));
        Assert.Equal(CheckStatus.Pass, report.Get(CheckIds.KvmDevice).Status);
        Assert.Equal(CheckStatus.Skip, report.Get(CheckIds.ConfigTeeObject).Status);
        Assert.Equal(CheckStatus.Skip, report.Get(CheckIds.ConfigTeeHost).Status);

        // A loaded configuration that needs no TEE makes the missing TEEs irrelevant (SKIP), not warnings.
        Assert.All(report.Results.Where(r => r.Id.StartsWith("amd.sev", StringComparison.Ordinal)), r => Assert.Equal(CheckStatus.Skip, r.Status));
    }

    [Fact]
    public async Task Snp_configuration_fails_on_pvm_with_qemu_7_2()
    {
        var report = await HostRun.CheckAsync("pvm", "configuration-qemu-snp.toml");

        Assert.False(report.Ready);
        var snp = report.Get(CheckIds.AmdSevSnp);
        Assert.Equal(CheckStatus.Fail, snp.Status);
        Assert.Equal("AMD SEV-SNP unavailable: kvm_amd is not loaded", snp.Summary);
        Assert.Equal("This host is a VM without kvm_amd: AMD SEV-SNP needs a bare-metal AMD EPYC host.", snp.Remedy);

        Assert.Equal("sev-guest, no sev-snp-guest, no tdx-guest, no s390-pv-guest",
            report.Get(CheckIds.ConfigTeeObject).EvidenceValue("/usr/bin/qemu-system-x86_64 -object help"));
        var teeHost = report.Get(CheckIds.ConfigTeeHost);
        Assert.Equal(CheckStatus.Fail, teeHost.Status);
        Assert.Contains("configuration-qemu-coco-dev.toml", teeHost.Remedy, StringComparison.Ordinal);
        Assert.Equal(CheckStatus.Fail, report.Get(CheckIds.AmdCbitpos).Status);

        // The kernel is new enough; SNP is missing for other reasons.
        Assert.Equal(CheckStatus.Pass, report.Get(CheckIds.AmdSnpKernel).Status);
    }
}
