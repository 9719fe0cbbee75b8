namespace Sealpod.HostCheck.Tests;

/// <summary>The live probe: file mapping under a root, commands, and the ioctls on this machine's devices.</summary>
public sealed class LinuxHostProbeTests : IDisposable
{
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("sealpod-probe-");

    public void Dispose() => _root.Delete(recursive: true);

    [Fact]
    public void Files_are_read_below_the_root_and_missing_ones_say_so()
    {
        Directory.CreateDirectory(Path.Join(_root.FullName, "sys/module/kvm_amd/parameters"));
        File.WriteAllText(Path.Join(_root.FullName, "sys/module/kvm_amd/parameters/sev_snp"), "Y\n");
        var probe = new LinuxHostProbe(_root.FullName);

        var read = probe.ReadFile("/sys/module/kvm_amd/parameters/sev_snp");
        Assert.True(read.Ok);
        Assert.Equal("Y", read.Trimmed);
        Assert.Equal("/sys/module/kvm_amd/parameters/sev_snp", read.Path);

        var missing = probe.ReadFile("/sys/module/kvm_amd/parameters/sev");
        Assert.Equal(FileReadStatus.NotFound, missing.Status);
        Assert.Equal("<not found>", missing.Describe());
        Assert.Equal(FileReadStatus.NotFound, probe.ReadFile("/no/such/dir/file").Status);

        Assert.True(probe.Exists("/sys/module/kvm_amd"));
        Assert.Equal(["kvm_amd"], probe.ListDirectory("/sys/module"));
        Assert.Empty(probe.ListDirectory("/sys/firmware"));
        Assert.Throws<ArgumentException>(() => probe.ReadFile("relative/path"));
    }

    [Fact]
    public async Task Commands_run_and_failures_are_described()
    {
        var probe = new LinuxHostProbe();

        var echo = await probe.RunCommandAsync("/bin/sh", ["-c", "echo out; echo err >&2; exit 3"]);
        Assert.Equal(3, echo.ExitCode);
        Assert.Equal("out\n", echo.Stdout);
        Assert.Equal("err\n", echo.Stderr);
        Assert.False(echo.Succeeded);
        Assert.Equal("exit 3", echo.Describe());

        var missing = await probe.RunCommandAsync("/nonexistent/qemu", ["-object", "help"]);
        Assert.Null(missing.ExitCode);
        Assert.StartsWith("cannot run:", missing.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_cancelled_command_is_killed()
    {
        var probe = new LinuxHostProbe();
        using var cancellation = new CancellationTokenSource();
        var marker = Path.Join(_root.FullName, "pid");

        var run = probe.RunCommandAsync("/bin/sh", ["-c", $"echo $$ > {marker}; exec sleep 60"], cancellation.Token);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!File.Exists(marker) || !File.ReadAllText(marker).EndsWith('\n'))
        {
            Assert.True(DateTime.UtcNow < deadline, "the command did not start");
            await Task.Delay(10);
        }

        var pid = int.Parse(File.ReadAllText(marker).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        await cancellation.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        Assert.False(Directory.Exists($"/proc/{pid}"), $"process {pid} is still there");
    }

    [Fact]
    [Trait(TestCategories.Name, TestCategories.Root)]
    public void Kvm_probe_on_this_machine_leaves_no_descriptor_open()
    {
        var probe = new LinuxHostProbe();

        var result = probe.OpenKvmAndCreateVm();

        // Other tests open and close descriptors concurrently, so count only the probe's own kinds:
        // /dev/kvm itself and the anonymous kvm-vm inode of the VM it created.
        Assert.Empty(KvmDescriptors());
        if (!File.Exists("/dev/kvm"))
        {
            Assert.False(result.Opened);
            Assert.Contains("No such file", result.Error, StringComparison.Ordinal);
            return;
        }

        // Every Linux KVM since 2.6.22 answers 12; the VM fd was created and closed.
        Assert.True(result.Opened, result.Error);
        Assert.Equal(KvmProbeResult.ExpectedApiVersion, result.ApiVersion);
        Assert.True(result.VmCreated, result.Error);
    }

    [Fact]
    public void Sev_probe_without_the_device_reports_the_open_error()
    {
        var probe = new LinuxHostProbe(_root.FullName);

        var result = probe.SevPlatformStatus();

        Assert.Null(result.Status);
        Assert.StartsWith("open /dev/sev: No such file or directory", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Ioctl_numbers_match_the_kernel_headers()
    {
        // KVM_GET_API_VERSION _IO(0xAE, 0), KVM_CREATE_VM _IO(0xAE, 1), SEV_ISSUE_CMD _IOWR('S', 0, 24 bytes).
        Assert.Equal((nuint)0xAE00, KvmIoctls.GetApiVersion);
        Assert.Equal((nuint)0xAE01, KvmIoctls.CreateVm);
        Assert.Equal((nuint)0xC0185300, SevIoctls.IssueCommand);
        Assert.Equal(12, System.Runtime.InteropServices.Marshal.SizeOf<SevIoctls.SevUserDataStatus>());
    }

    private static List<string> KvmDescriptors()
    {
        var open = new List<string>();
        foreach (var fd in Directory.GetFiles("/proc/self/fd"))
        {
            string? target = null;
            try
            {
                target = new FileInfo(fd).LinkTarget;
            }
            catch (IOException)
            {
                // closed between listing and reading: not ours to count
            }

            if (target is "/dev/kvm" or "anon_inode:kvm-vm")
            {
                open.Add($"{fd} -> {target}");
            }
        }

        return open;
    }
}
