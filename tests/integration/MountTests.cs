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
    public async Task A_pod_containers_copies_are_removed_with_it_while_the_pod_runs()
    {
        // The guest's /run is no container's to look at, so the guest agent's console says what it removed.
        string file = Path.Combine(containerd.Root, "app.conf");
        await File.WriteAllTextAsync(file, "for-the-app\n");
        string console = Path.Combine(containerd.SandboxRunDirectory, "sandboxes", "mntpod", "console.log");
        string[] pod = ["--annotation", "io.kubernetes.cri.sandbox-id=mntpod"];
        var sandbox = await containerd.Run(["-d", "--null-io", "--annotation", "io.kubernetes.cri.container-type=sandbox", .. pod], "mntpod", ["sleep", "1000"]);
        Assert.True(sandbox.ExitCode == 0, sandbox + containerd.ContainerdLog());
        var app = await containerd.Run(
            ["--rm", "--mount", $"type=bind,src={file},dst=/etc/app.conf,options=rbind:ro", "--annotation", "io.kubernetes.cri.container-type=container", .. pod],
            "mntapp",
            ["cat", "/etc/app.conf"]);
        string log = await WaitForLineAsync(console, "container mntapp removed");

        try
        {
            Assert.True(app.ExitCode == 0, app + containerd.ContainerdLog());
            Assert.Equal("for-the-app\n", app.Text);
            // The serial console ends lines with CR LF.
            var lines = log.Split('\n').Select(line => line.TrimEnd('\r'));
            Assert.True(lines.Contains("sealpod-agent info: container mntapp removed, with its copied bind-mount files"), "guest console:\n" + log);
            Assert.DoesNotContain("could not remove its copied bind-mount files", log, StringComparison.Ordinal);
        }
        finally
        {
            await containerd.KillAndRemoveAsync("mntpod");
        }

        await containerd.AssertNothingLeftAsync("mntpod", "mntapp");
    }

    [Fact]
    public async Task A_read_write_host_directory_is_refused_naming_the_mount()
    {
        string directory = Directory.CreateDirectory(Path.Combine(containerd.Root, "output")).FullName;

        var run = await containerd.Run(["--rm", "--mount", $"type=bind,src={directory},dst=/out,options=rbind:rw"], "mnt2", ["true"]);

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains($"bind mount {directory} -> /out: a read-write host directory cannot be given to the guest", run.Stderr, StringComparison.Ordinal);
        // Refused before any VM: the shim logs "sandbox ID: starting QEMU" for every launch (ConfigurationTests sees it).
        Assert.DoesNotContain("sandbox mnt2: starting QEMU", containerd.ContainerdLog(int.MaxValue), StringComparison.Ordinal);
        await containerd.Ctr(["containers", "rm", "mnt2"]);
        await containerd.AssertNothingLeftAsync("mnt2");
    }

    [Fact]
    public async Task A_kubernetes_empty_dir_is_a_writable_directory_in_the_guest()
    {
        // The kubelet's layout; the host directory itself is never used (as in Kata, the volume lives in the guest).
        string volume = Directory.CreateDirectory(Path.Combine(containerd.Root, "pods", "u1", "volumes", "kubernetes.io~empty-dir", "cache")).FullName;

        var run = await containerd.Run(
            ["--rm", "--mount", $"type=bind,src={volume},dst=/cache,options=rbind:rw"], "mnt3",
            ["sh", "-c", "echo kept > /cache/f && cat /cache/f && stat -c %a /cache"]);

        Assert.True(run.ExitCode == 0, run + containerd.ContainerdLog());
        string[] lines = run.Text.Split('\n');
        Assert.Equal("kept", lines[0].Trim());
        Assert.Equal("777", lines[1].Trim()); // writable by a container of any user, as Kata makes it
        Assert.Empty(Directory.GetFileSystemEntries(volume));
        await containerd.AssertNothingLeftAsync("mnt3");
    }

    /// <summary>The file once it holds <paramref name="text"/> (polled: QEMU appends the console; the timeout bounds a failure).</summary>
    private static async Task<string> WaitForLineAsync(string path, string text)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        string content;
        do
        {
            content = File.Exists(path) ? await File.ReadAllTextAsync(path) : string.Empty;
            if (content.Contains(text, StringComparison.Ordinal))
            {
                break;
            }

            await Task.Delay(100);
        }
        while (DateTime.UtcNow < deadline);

        return content;
    }
}
