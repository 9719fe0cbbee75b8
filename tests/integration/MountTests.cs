namespace Sealpod.IntegrationTests;

/// <summary>
/// Host bind mounts (<c>ctr run --mount type=bind,...</c>). The guest shares no filesystem with the host
/// (<c>shared_fs = "none"</c>, CoCo's choice), so files and read-only directories are copied in with the agent's
/// CopyFile, as Kata does; a read-write directory is refused before any VM boots.
/// </summary>
public sealed class MountTests(PrivateContainerd containerd) : IClassFixture<PrivateContainerd>
{
    [Fact]
    public async Task Host_files_and_read_only_directories_appear_in_the_container()
    {
        string file = Path.Combine(containerd.Root, "extra.conf");
        await File.WriteAllTextAsync(file, "from-a-host-file\n");
        string directory = Directory.CreateDirectory(Path.Combine(containerd.Root, "config")).FullName;
        Directory.CreateDirectory(Path.Combine(directory, "sub"));
        await File.WriteAllTextAsync(Path.Combine(directory, "a.txt"), "alpha\n");
        await File.WriteAllTextAsync(Path.Combine(directory, "sub", "b.txt"), "beta\n");
        File.CreateSymbolicLink(Path.Combine(directory, "link"), "sub/b.txt");

        var run = await containerd.Run(
            ["--rm", "--mount", $"type=bind,src={file},dst=/etc/extra.conf,options=rbind:ro", "--mount", $"type=bind,src={directory},dst=/config,options=rbind:ro"],
            "mnt1",
            ["sh", "-c", "cat /etc/extra.conf /config/a.txt /config/sub/b.txt; readlink /config/link; cat /config/link; touch /config/new 2>/dev/null || echo read-only"]);

        Assert.True(run.ExitCode == 0, run + containerd.ContainerdLog());
        Assert.Equal(["from-a-host-file", "alpha", "beta", "sub/b.txt", "beta", "read-only"], run.Text.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("sandbox mnt1: VM started", containerd.ContainerdLog(int.MaxValue), StringComparison.Ordinal);
        await containerd.AssertNothingLeftAsync("mnt1");
    }

    [Fact]
    public async Task A_read_write_host_directory_is_refused_naming_the_mount()
    {
        string directory = Directory.CreateDirectory(Path.Combine(containerd.Root, "output")).FullName;

        var run = await containerd.Run(["--rm", "--mount", $"type=bind,src={directory},dst=/out,options=rbind:rw"], "mnt2", ["true"]);

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains($"bind mount {directory} -> /out: a read-write host directory cannot be given to the guest", run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("sandbox mnt2: VM started", containerd.ContainerdLog(int.MaxValue), StringComparison.Ordinal);
        await containerd.Ctr(["containers", "rm", "mnt2"]);
        await containerd.AssertNothingLeftAsync("mnt2");
    }
}
