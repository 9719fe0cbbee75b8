namespace Sealpod.HostCheck.Tests;

/// <summary>An IBM z16 LPAR booted with prot_virt=1, containerd 2.x config (Fixtures/hosts/se).</summary>
public sealed class SeHostTests
{
    [Fact]
    public async Task Secure_execution_configuration_is_ready()
    {
        var report = await HostRun.CheckAsync("se", "configuration-qemu-se.toml");

        report.AssertReady();
        Assert.Equal(CpuArchitecture.S390x, report.Architecture);
        Assert.Equal([GuestProtection.Se], report.GuestProtections);

        var se = report.Expect(CheckIds.IbmSe, CheckStatus.Pass);
        Assert.Equal("158", se.EvidenceValue("/proc/cpuinfo facilities"));
        Assert.Equal("prot_virt=1", se.EvidenceValue("/proc/cmdline"));
        Assert.Equal("1", se.EvidenceValue("/sys/firmware/uv/prot_virt_host"));

        Assert.Equal("sie (start interpretive execution) present", report.Get(CheckIds.CpuVirtualization).Summary);
        Assert.Equal("/usr/bin/qemu-system-s390x has s390-pv-guest", report.Get(CheckIds.ConfigTeeObject).Summary);
        report.Expect(CheckIds.ConfigFirmware, CheckStatus.Skip);
        Assert.All(report.Results.Where(r => r.Id.StartsWith("amd.", StringComparison.Ordinal) || r.Id.StartsWith("intel.", StringComparison.Ordinal)),
            r => Assert.Equal(CheckStatus.Skip, r.Status));
    }

    [Fact]
    public async Task Built_in_and_installable_modules_are_told_apart()
    {
        var report = await HostRun.CheckAsync("se");

        var vhost = report.Expect(CheckIds.VhostModule, CheckStatus.Pass);
        Assert.Equal("kernel/drivers/vhost/vhost.ko", vhost.EvidenceValue("/lib/modules/6.8.0-45-generic/modules.builtin"));

        var vsock = report.Expect(CheckIds.VhostVsock, CheckStatus.Warn);
        Assert.StartsWith("vhost_vsock available but not loaded.", vsock.Summary, StringComparison.Ordinal);
        Assert.StartsWith("modprobe vhost_vsock", vsock.Remedy, StringComparison.Ordinal);
        Assert.Equal("kernel/drivers/vhost/vhost_vsock.ko.zst", vsock.EvidenceValue("/lib/modules/6.8.0-45-generic/modules.dep"));
    }

    [Fact]
    public async Task Containerd_2_config_and_shim_next_to_containerd_are_understood()
    {
        var report = await HostRun.CheckAsync("se");

        Assert.Equal("version 3, CRI runtimes: sealpod-qemu-se", report.Get(CheckIds.ContainerdConfig).Summary);
        report.Expect(CheckIds.ContainerdPodAnnotations, CheckStatus.Pass);

        // containerd's PATH lacks /usr/local/bin, but containerd also looks next to its own binary (/proc/913/exe).
        var shim = report.Expect(CheckIds.ContainerdShim, CheckStatus.Pass);
        Assert.Equal("/usr/local/bin/containerd-shim-sealpod-v2", shim.Summary);
        Assert.Equal("/usr/sbin:/usr/bin:/sbin:/bin", shim.EvidenceValue("/proc/913/environ PATH"));
    }
}
