namespace Sealpod.IntegrationTests;

/// <summary>What is left when the shim or the VM is killed: nothing, once containerd has cleaned up.</summary>
public sealed class FailureTests(PrivateContainerd containerd) : IClassFixture<PrivateContainerd>
{
    [Fact]
    public async Task After_the_shim_is_killed_containerds_cleanup_leaves_nothing()
    {
        Assert.Equal(0, (await containerd.Run(["-d", "--null-io"], "kshim", ["sleep", "1000"])).ExitCode);

        // containerd sees the connection drop, runs `shim delete` (which kills the VM), reports the exit and
        // forgets the task; only the container record stays.
        await containerd.KillShimAsync("kshim");

        Assert.True(await containerd.TaskAsync("kshim") is null or { Status: "STOPPED" }, "the task outlived its shim");
        await containerd.RemoveContainerAsync("kshim");
        await containerd.AssertNothingLeftAsync("kshim");
    }

    [Fact]
    public async Task After_the_shim_is_killed_containerds_cleanup_keeps_every_file_of_a_read_write_host_volume()
    {
        // A read-write host directory needs the virtio-fs share: its bind lives under the sandbox directory.
        string volume = Directory.CreateDirectory(Path.Combine(containerd.Root, "volume-kvol")).FullName;
        Directory.CreateDirectory(Path.Combine(volume, "deep"));
        await File.WriteAllTextAsync(Path.Combine(volume, "data.txt"), "tenant data\n");
        await File.WriteAllTextAsync(Path.Combine(volume, "deep", "more.txt"), "more\n");
        string config = await containerd.StageConfigAsync("configuration-virtiofs-kvol.toml", "configuration-qemu-coco-dev.toml",
            text => text.Replace("shared_fs = \"none\"", "shared_fs = \"virtio-fs\"", StringComparison.Ordinal));
        var run = await containerd.Run(["-d", "--null-io", "--mount", $"type=bind,src={volume},dst=/data,options=rbind:rw"], "kvol", ["sleep", "1000"], configPath: config);
        Assert.True(run.ExitCode == 0, run + containerd.ContainerdLog());
        string sandbox = Path.Combine(containerd.SandboxRunDirectory, "sandboxes", "kvol");
        Assert.Contains(containerd.MountsUnder(), m => m.StartsWith(sandbox + "/", StringComparison.Ordinal));

        // SIGKILL: the share's binds stay mounted under the sandbox directory for containerd's `shim delete` to find.
        await containerd.KillShimAsync("kvol");
        await containerd.RemoveContainerAsync("kvol");
        await containerd.AssertNothingLeftAsync("kvol");
        Assert.Equal("tenant data\n", await File.ReadAllTextAsync(Path.Combine(volume, "data.txt")));
        Assert.Equal("more\n", await File.ReadAllTextAsync(Path.Combine(volume, "deep", "more.txt")));
        Assert.DoesNotContain(containerd.MountsUnder(), m => m.StartsWith(sandbox, StringComparison.Ordinal));
    }

    [Fact]
    public async Task After_the_vm_is_killed_the_task_exits_and_cleanup_leaves_nothing()
    {
        Assert.Equal(0, (await containerd.Run(["-d", "--null-io"], "kvm", ["sleep", "1000"])).ExitCode);
        var task = await containerd.TaskAsync("kvm");
        Assert.Contains("qemu-system", File.ReadAllText($"/proc/{task!.Value.Pid}/cmdline"), StringComparison.Ordinal);

        var stopwatch = Stopwatch.StartNew();
        Process.GetProcessById(task.Value.Pid).Kill();
        await containerd.WaitForStatusAsync("kvm", "STOPPED", TimeSpan.FromSeconds(30));
        Console.WriteLine($"task stopped {stopwatch.ElapsedMilliseconds} ms after the VM was killed");

        var rm = await containerd.Ctr(["tasks", "rm", "kvm"]);
        Assert.True(rm.ExitCode == 0, rm.ToString());
        await containerd.Ctr(["containers", "rm", "kvm"]);
        await containerd.AssertNothingLeftAsync("kvm");
    }
}
