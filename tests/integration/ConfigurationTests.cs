namespace Sealpod.IntegrationTests;

/// <summary>Shipped configurations through the shim: what they put on the guest's command line, and a TEE the host lacks.</summary>
public sealed class ConfigurationTests(PrivateContainerd containerd) : IClassFixture<PrivateContainerd>
{
    [Fact]
    public async Task Agent_debug_in_the_configuration_reaches_the_guest_kernel_command_line()
    {
        string debug = await containerd.StageConfigAsync("debug.toml", "configuration-qemu-coco-dev.toml", text => TomlText.Set(text, "agent.kata", "enable_debug", "true"));

        var run = await containerd.Run(["-d", "--null-io"], "dbg1", ["sleep", "1000"], configPath: debug);
        Assert.True(run.ExitCode == 0, run + containerd.ContainerdLog());
        var task = await containerd.TaskAsync("dbg1");
        string[] qemu = File.ReadAllText($"/proc/{task!.Value.Pid}/cmdline").Split('\0');
        var inGuest = await containerd.Ctr(["tasks", "exec", "--fifo-dir", containerd.FifoDirectory, "--exec-id", "x1", "dbg1", "cat", "/proc/cmdline"]);
        var withDefault = await containerd.Run(["--rm"], "dbg2", ["cat", "/proc/cmdline"]);

        Assert.Contains("agent.log=debug", qemu[Array.IndexOf(qemu, "-append") + 1].Split(' '));
        Assert.Contains("sandbox dbg1: starting QEMU", containerd.ContainerdLog(int.MaxValue), StringComparison.Ordinal);
        Assert.True(inGuest.ExitCode == 0, inGuest.ToString());
        Assert.Contains("agent.log=debug", inGuest.Text.Trim().Split(' '));
        Assert.True(withDefault.ExitCode == 0, withDefault.ToString());
        Assert.DoesNotContain("agent.log=debug", withDefault.Text.Trim().Split(' '));

        await containerd.KillAndRemoveAsync("dbg1");
        await containerd.AssertNothingLeftAsync("dbg1", "dbg2");
    }

    [Fact]
    public async Task An_snp_configuration_fails_fast_naming_the_missing_host_capability_and_the_sysfs_file()
    {
        // AMD's SNP firmware is not a Debian package: Debian's OVMF stands in for it, since the host check comes first.
        string snp = await containerd.StageConfigAsync("snp.toml", "configuration-qemu-snp.toml");
        File.CreateSymbolicLink(Path.Combine(containerd.ShareDirectory, "AMDSEV.fd"), "/usr/share/ovmf/OVMF.fd");

        var run = await containerd.Run(["--rm"], "snp1", ["true"], configPath: snp, timeout: TimeSpan.FromMinutes(3));

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("this host cannot launch SEV-SNP guests", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("/sys/module/kvm_amd/parameters/sev_snp", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("hypervisor.qemu.sev_snp_guest", run.Stderr, StringComparison.Ordinal);

        // Failing fast means refusing before any VM exists (a launch that went ahead would wait out the agent's
        // dial timeout): the shim never logged the QEMU start it logs for every launch (see the test above).
        Assert.DoesNotContain("sandbox snp1: starting QEMU", containerd.ContainerdLog(int.MaxValue), StringComparison.Ordinal);
        await containerd.Ctr(["containers", "rm", "snp1"]);
        await containerd.AssertNothingLeftAsync("snp1");
    }
}
