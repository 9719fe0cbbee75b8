using Sealpod.HostCheck.Checks;
using Sealpod.HostCheck.Tests.Support;

namespace Sealpod.HostCheck.Tests;

/// <summary>An Intel desktop whose kvm modules are installed but not loaded: no /dev/kvm (Fixtures/hosts/no-kvm).</summary>
public sealed class NoKvmHostTests
{
    [Fact]
    public async Task Missing_kvm_fails_with_modprobe_remedies()
    {
        var probe = new FixtureHostProbe("no-kvm");
        var report = await HostRun.CheckAsync(probe);

        Assert.False(report.Ready);
        Assert.Equal(1, report.ExitCode);

        Assert.Equal(CheckStatus.Pass, report.Get(CheckIds.CpuVirtualization).Status);

        var kvm = report.Get(CheckIds.KvmModule);
        Assert.Equal(CheckStatus.Fail, kvm.Status);
        Assert.Equal("kvm available but not loaded", kvm.Summary);
        Assert.Equal("modprobe kvm", kvm.Remedy);
        Assert.Equal("kernel/arch/x86/kvm/kvm.ko.xz", kvm.EvidenceValue("/lib/modules/6.1.0-18-amd64/modules.dep"));
        Assert.Equal("no kvm", kvm.EvidenceValue("/proc/modules"));

        var backend = report.Get(CheckIds.KvmBackend);
        Assert.Equal(CheckStatus.Fail, backend.Status);
        Assert.Equal("no KVM backend: kvm_intel is not loaded", backend.Summary);
        Assert.StartsWith("modprobe kvm_intel", backend.Remedy, StringComparison.Ordinal);

        var device = report.Get(CheckIds.KvmDevice);
        Assert.Equal(CheckStatus.Fail, device.Status);
        Assert.Equal("/dev/kvm does not exist", device.Summary);
        Assert.Equal(0, probe.KvmProbes);
    }

    [Fact]
    public async Task Vhost_modules_on_disk_are_warned_about_not_failed()
    {
        var report = await HostRun.CheckAsync("no-kvm");

        foreach (var id in new[] { CheckIds.VhostModule, CheckIds.VhostNet, CheckIds.VhostVsock })
        {
            var result = report.Get(id);
            Assert.Equal(CheckStatus.Warn, result.Status);
            Assert.StartsWith("modprobe vhost", result.Remedy, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Without_containerd_config_the_setup_is_a_warning()
    {
        var report = await HostRun.CheckAsync("no-kvm");

        var config = report.Get(CheckIds.ContainerdConfig);
        Assert.Equal(CheckStatus.Warn, config.Status);
        Assert.Equal("absent", config.EvidenceValue("/etc/containerd/config.toml"));
        Assert.Contains("containerd config default > /etc/containerd/config.toml", config.Remedy, StringComparison.Ordinal);
        Assert.Equal(CheckStatus.Skip, report.Get(CheckIds.ContainerdRuntime).Status);
        Assert.Equal(CheckStatus.Warn, report.Get(CheckIds.ContainerdShim).Status);
        Assert.Equal(CheckStatus.Warn, report.Get(CheckIds.IntelTdx).Status);
        Assert.Equal("TDX unavailable: kvm_intel is not loaded", report.Get(CheckIds.IntelTdx).Summary);
    }
}
