namespace Sealpod.HostCheck.Tests;

/// <summary>An Intel Sapphire Rapids with kvm_intel.tdx=1, a running QGS and containerd config split over imports (Fixtures/hosts/tdx).</summary>
public sealed class TdxHostTests
{
    [Fact]
    public async Task Tdx_configuration_is_ready()
    {
        var report = await HostRun.CheckAsync("tdx", "configuration-qemu-tdx.toml");

        report.AssertReady();
        Assert.DoesNotContain(report.Results, r => r.Status == CheckStatus.Warn);
        Assert.Equal([GuestProtection.Tdx], report.GuestProtections);

        var tdx = report.Expect(CheckIds.IntelTdx, CheckStatus.Pass);
        Assert.Equal("Y", tdx.EvidenceValue("/sys/module/kvm_intel/parameters/tdx"));
        Assert.Equal("tdx_host_platform", tdx.EvidenceValue("/proc/cpuinfo flags"));

        var qgs = report.Expect(CheckIds.IntelTdxQgs, CheckStatus.Pass);
        Assert.Equal("0", qgs.EvidenceValue($"{FixturePaths.Config("configuration-qemu-tdx.toml")} tdx_quote_generation_service_socket_port"));
        Assert.Equal("present", qgs.EvidenceValue("/var/run/tdx-qgs/qgs.socket"));

        Assert.Equal("/usr/bin/qemu-system-x86_64 has tdx-guest", report.Get(CheckIds.ConfigTeeObject).Summary);
        report.Expect(CheckIds.ConfigImage, CheckStatus.Pass);
        report.Expect(CheckIds.ConfigInitrd, CheckStatus.Skip);
    }

    [Fact]
    public async Task Amd_checks_are_skipped_on_intel()
    {
        var report = await HostRun.CheckAsync("tdx");

        var amd = report.ExpectAll(
            CheckStatus.Skip, CheckIds.AmdSme, CheckIds.AmdSev, CheckIds.AmdSevEs, CheckIds.AmdSevSnp, CheckIds.AmdFirmware, CheckIds.AmdCbitpos, CheckIds.AmdSnpKernel);
        foreach (var result in amd)
        {
            Assert.Equal("GenuineIntel", result.EvidenceValue("/proc/cpuinfo vendor_id"));
        }
    }

    [Fact]
    public async Task Modules_known_only_from_proc_modules_count_as_loaded()
    {
        var report = await HostRun.CheckAsync("tdx");

        var vsock = report.Expect(CheckIds.VhostVsock, CheckStatus.Pass);
        Assert.Equal("absent", vsock.EvidenceValue("/sys/module/vhost_vsock"));
        Assert.StartsWith("vhost_vsock 24576 0", vsock.EvidenceValue("/proc/modules"), StringComparison.Ordinal);
        Assert.Equal("SELinux is permissive", report.Get(CheckIds.HostSelinux).Summary);
    }

    [Fact]
    public async Task Runtime_defined_in_an_imported_file_is_found()
    {
        var report = await HostRun.CheckAsync("tdx");

        var config = report.Expect(CheckIds.ContainerdConfig, CheckStatus.Pass);
        Assert.Equal("imported", config.EvidenceValue("/etc/containerd/conf.d/50-sealpod.toml"));
        Assert.Null(config.EvidenceValue("/etc/containerd/conf.d/README"));

        var runtime = report.Get(CheckIds.ContainerdRuntime);
        Assert.Equal("sealpod runtime: sealpod-qemu-tdx", runtime.Summary);
        Assert.Equal(
            "io.containerd.sealpod.v2 (/etc/containerd/conf.d/50-sealpod.toml)",
            runtime.EvidenceValue("plugins.\"io.containerd.grpc.v1.cri\".containerd.runtimes.sealpod-qemu-tdx.runtime_type"));

        // No containerd process: the shim is looked for on the PATH the checks were given.
        var shim = report.Get(CheckIds.ContainerdShim);
        Assert.Equal("/usr/bin/containerd-shim-sealpod-v2", shim.Summary);
        Assert.Equal(HostRun.FixturePath, shim.EvidenceValue("PATH"));
    }
}
