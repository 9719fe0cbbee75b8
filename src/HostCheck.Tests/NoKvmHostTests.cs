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

        report.Expect(CheckIds.CpuVirtualization, CheckStatus.Pass);

        var kvm = report.Expect(CheckIds.KvmModule, CheckStatus.Fail);
        Assert.Equal("kvm available but not loaded", kvm.Summary);
        Assert.Equal("modprobe kvm", kvm.Remedy);
        Assert.Equal("kernel/arch/x86/kvm/kvm.ko.xz", kvm.EvidenceValue("/lib/modules/6.1.0-18-amd64/modules.dep"));
        Assert.Equal("no kvm", kvm.EvidenceValue("/proc/modules"));

        var backend = report.Expect(CheckIds.KvmBackend, CheckStatus.Fail);
        Assert.Equal("no KVM backend: kvm_intel is not loaded", backend.Summary);
        Assert.StartsWith("modprobe kvm_intel", backend.Remedy, StringComparison.Ordinal);

        var device = report.Expect(CheckIds.KvmDevice, CheckStatus.Fail);
        Assert.Equal("/dev/kvm does not exist", device.Summary);
        Assert.Equal(0, probe.KvmProbes);
    }

    [Fact]
    public async Task Vhost_modules_on_disk_are_warned_about_not_failed()
    {
        var report = await HostRun.CheckAsync("no-kvm");

        foreach (var result in report.ExpectAll(CheckStatus.Warn, CheckIds.VhostModule, CheckIds.VhostNet, CheckIds.VhostVsock))
        {
            Assert.StartsWith("modprobe vhost", result.Remedy, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Without_containerd_config_the_setup_is_a_warning()
    {
        var report = await HostRun.CheckAsync("no-kvm");

        var config = report.Expect(CheckIds.ContainerdConfig, CheckStatus.Warn);
        Assert.Equal("absent", config.EvidenceValue("/etc/containerd/config.toml"));
        Assert.Contains("containerd config default > /etc/containerd/config.toml", config.Remedy, StringComparison.Ordinal);
        report.Expect(CheckIds.ContainerdRuntime, CheckStatus.Skip);
        report.Expect(CheckIds.ContainerdShim, CheckStatus.Warn);
        report.Expect(CheckIds.IntelTdx, CheckStatus.Warn);
        Assert.Equal("TDX unavailable: kvm_intel is not loaded", report.Get(CheckIds.IntelTdx).Summary);
    }
}
