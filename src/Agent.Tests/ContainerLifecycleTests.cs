using System.Globalization;

namespace Sealpod.Agent.Tests;

/// <summary>Pause/resume, stats, isolation, users, terminals, OOM and removal with real containers.</summary>
[Collection(AgentCollection.Name)]
[Trait(TestCategories.Name, TestCategories.Root)]
public sealed class ContainerLifecycleTests(AgentFixture fixture)
{
    [Fact]
    public async Task Pause_freezes_the_processes_and_resume_thaws_them()
    {
        var id = TestSpecs.NewId("pause");
        var counter = Path.Combine(fixture.RootfsPath, "tmp", $"count-{id}");
        try
        {
            await using var container = await ContainerScope.CreateAsync(
                fixture,
                TestSpecs.Container(fixture.RootfsPath, "sh", "-c", $"i=0; while true; do i=$((i+1)); echo $i > /tmp/count-{id}; sleep 0.02; done"),
                id);
            await WaitForCounterAboveAsync(counter, 2);

            await fixture.Sandbox.PauseContainerAsync(id, CancellationToken.None);
            Assert.Equal(ContainerState.Paused, container.Container.State);
            var frozen = ReadCounter(counter);
            await Task.Delay(300);
            Assert.Equal(frozen, ReadCounter(counter));
            await Assert.ThrowsAsync<FailedPreconditionException>(() => fixture.Sandbox.PauseContainerAsync(id, CancellationToken.None));

            await fixture.Sandbox.ResumeContainerAsync(id, CancellationToken.None);
            Assert.Equal(ContainerState.Running, container.Container.State);
            await WaitForCounterAboveAsync(counter, frozen + 2);
            await Assert.ThrowsAsync<FailedPreconditionException>(() => fixture.Sandbox.ResumeContainerAsync(id, CancellationToken.None));
        }
        finally
        {
            File.Delete(counter);
        }
    }

    [Fact]
    public async Task Removing_a_paused_container_kills_it()
    {
        var container = await ContainerScope.CreateAsync(fixture, TestSpecs.Container(fixture.RootfsPath, "sleep", "1000"));
        await using (container)
        {
            await fixture.Sandbox.PauseContainerAsync(container.Id, CancellationToken.None);
        }

        Assert.True(container.Container.Init.HasExited);
        Assert.Equal(137, (await container.Container.Init.Exited).ShellCode);
    }

    [Fact]
    public async Task Stats_report_cpu_memory_and_pids_of_the_container_cgroup()
    {
        await using var container = await ContainerScope.CreateAsync(
            fixture,
            TestSpecs.Container(fixture.RootfsPath, "sh", "-c", "i=0; while [ $i -lt 20000 ]; do i=$((i+1)); done; sleep 1000 & echo done; wait"));
        var done = await fixture.Sandbox.ReadAsync(container.Id, "", OutputStream.Stdout, 5, CancellationToken.None);
        Assert.Equal("done\n", Encoding.ASCII.GetString(done));

        var stats = fixture.Sandbox.StatsContainer(container.Id);

        Assert.True(stats.CpuTotalNanoseconds > 0, "cpu usage");
        Assert.True(stats.MemoryUsage > 0, "memory usage");
        Assert.True(stats.PidsCurrent >= 2, $"pids: {stats.PidsCurrent}");
    }

    [Fact]
    public async Task Update_changes_the_cgroup_limits()
    {
        await using var container = await ContainerScope.CreateAsync(fixture, TestSpecs.Container(fixture.RootfsPath, "sleep", "1000"));

        await fixture.Sandbox.UpdateContainerAsync(container.Id, new OciResources { Pids = new OciPids { Limit = 77 }, Memory = new OciMemory { Limit = 64L << 20 } }, CancellationToken.None);
        var stats = fixture.Sandbox.StatsContainer(container.Id);

        Assert.Equal(77UL, stats.PidsLimit);
        Assert.Equal(64UL << 20, stats.MemoryLimit);
    }

    [Fact]
    public async Task The_container_has_its_own_namespaces_hostname_and_cgroup()
    {
        await using var container = await ContainerScope.CreateAsync(fixture, TestSpecs.Container(fixture.RootfsPath, "sleep", "1000"));

        var (_, hostname, _) = await container.ExecAsync("hostname");
        var (_, initCommand, _) = await container.ExecAsync("cat", "/proc/1/cmdline");
        var (_, namespaces, _) = await container.ExecAsync("sh", "-c", "for n in mnt pid uts ipc; do readlink /proc/self/ns/$n; done");

        Assert.Equal("sealpod-test\n", hostname);
        Assert.Equal("sleep\01000\0", initCommand);
        var hostNamespaces = new[] { "mnt", "pid", "uts", "ipc" }.Select(n => new FileInfo($"/proc/self/ns/{n}").LinkTarget).ToArray();
        var containerNamespaces = namespaces.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(4, containerNamespaces.Length);
        for (var i = 0; i < 4; i++)
        {
            Assert.NotEqual(hostNamespaces[i], containerNamespaces[i]);
        }

        var cgroups = await File.ReadAllTextAsync($"/proc/{container.Container.Init.Pid}/cgroup");
        Assert.Contains($"/{fixture.Options.CgroupParent}/{container.Id}", cgroups, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_process_runs_with_the_specified_user_groups_environment_and_directory()
    {
        var spec = TestSpecs.Container(fixture.RootfsPath, "sh", "-c", "id -u; id -g; id -G; echo $GREETING; pwd");
        spec = spec with
        {
            Process = spec.Process! with
            {
                User = new OciUser { Uid = 65534, Gid = 65534, AdditionalGids = [10, 20] },
                Env = ["PATH=/bin", "GREETING=hello there"],
                Cwd = "/tmp",
            },
        };
        await using var container = await ContainerScope.CreateAsync(fixture, spec);

        var output = await container.ReadTextToEndAsync(OutputStream.Stdout);

        var lines = output.Split('\n');
        Assert.Equal("65534", lines[0]);
        Assert.Equal("65534", lines[1]);
        Assert.Equal(["10", "20", "65534"], lines[2].Split(' ').Order().ToArray());
        Assert.Equal("hello there", lines[3]);
        Assert.Equal("/tmp", lines[4]);
    }

    [Fact]
    public async Task A_terminal_container_gets_a_pty_that_can_be_resized()
    {
        var spec = TestSpecs.Container(fixture.RootfsPath, "sh");
        spec = spec with { Process = spec.Process! with { Terminal = true, ConsoleSize = new OciBox { Height = 24, Width = 80 } } };
        await using var container = await ContainerScope.CreateAsync(fixture, spec);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var transcript = new StringBuilder();

        await Type(container.Id, "tty; stty size\n");
        await ReadUntilAsync(container.Id, transcript, "24 80", timeout.Token);
        Assert.Contains("/dev/pts/", transcript.ToString(), StringComparison.Ordinal);

        fixture.Sandbox.ResizeTerminal(container.Id, "", 30, 120);
        await Type(container.Id, "stty size\n");
        await ReadUntilAsync(container.Id, transcript, "30 120", timeout.Token);

        await Type(container.Id, "exit 5\n");
        var status = await fixture.Sandbox.WaitProcessAsync(container.Id, "", timeout.Token);
        Assert.Equal(5, status.ShellCode);
        Assert.Empty(await fixture.Sandbox.ReadAsync(container.Id, "", OutputStream.Stderr, 100, timeout.Token));
    }

    [Fact]
    public async Task A_terminal_exec_sees_end_of_input_when_stdin_is_closed()
    {
        await using var container = await ContainerScope.CreateAsync(fixture, TestSpecs.Container(fixture.RootfsPath, "sleep", "1000"));
        var process = TestSpecs.Process("sh", "-c", "cat; echo cat-done");
        await fixture.Sandbox.ExecProcessAsync(container.Id, "tty-exec", process with { Terminal = true }, CancellationToken.None);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var transcript = new StringBuilder();

        await fixture.Sandbox.WriteStdinAsync(container.Id, "tty-exec", Encoding.ASCII.GetBytes("ping\n"), timeout.Token);
        await ReadUntilAsync(container.Id, transcript, "ping\r\nping", timeout.Token, "tty-exec");
        fixture.Sandbox.CloseStdin(container.Id, "tty-exec");

        await ReadUntilAsync(container.Id, transcript, "cat-done", timeout.Token, "tty-exec");
        Assert.Equal(0, (await fixture.Sandbox.WaitProcessAsync(container.Id, "tty-exec", timeout.Token)).ShellCode);
    }

    [Fact]
    public async Task An_out_of_memory_kill_is_reported()
    {
        var spec = TestSpecs.Container(fixture.RootfsPath, "sh", "-c", "x=aaaaaaaaaaaaaaaa; while true; do x=$x$x; done");
        spec = spec with
        {
            Linux = spec.Linux! with { Resources = new OciResources { Memory = new OciMemory { Limit = 32L << 20, Swap = 32L << 20 } } },
        };
        await using var container = await ContainerScope.CreateAsync(fixture, spec);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        var oom = await fixture.Sandbox.NextOomEventAsync(timeout.Token);

        Assert.Equal(container.Id, oom);
        Assert.Equal(137, (await fixture.Sandbox.WaitProcessAsync(container.Id, "", timeout.Token)).ShellCode);
    }

    [Fact]
    public async Task Remove_deletes_the_runtime_state_the_cgroup_the_bundle_and_the_copied_files()
    {
        var container = await ContainerScope.CreateAsync(fixture, TestSpecs.Container(fixture.RootfsPath, "sleep", "1000"));
        var bundle = container.Container.Bundle;
        var cgroup = Cgroups.CgroupLayout.Detect(fixture.Options.CgroupMountPoint).Directory(container.Container.CgroupPath, "pids")!;
        Assert.True(Directory.Exists(cgroup));

        // What the host's CopyFile leaves for a container's bind mounts, and the same for another container of the pod.
        var copier = new FileCopier(fixture.Options.CopyFileRoot);
        var shared = Path.Combine(fixture.Options.SharedFilesRoot, container.Id);
        var other = Path.Combine(fixture.Options.SharedFilesRoot, container.Id + "-other");
        foreach (var file in (string[])[Path.Combine(shared, "0-hosts"), Path.Combine(shared, "1-config", "a.txt"), Path.Combine(other, "0-hosts")])
        {
            copier.Copy(new FileCopyRequest { Path = file, FileSize = 1, FileMode = LibC.S_IFREG | 0x1A4, Data = "x"u8.ToArray() });
        }

        copier.Copy(new FileCopyRequest { Path = Path.Combine(shared, "1-config", "link"), FileMode = LibC.S_IFLNK | 0x1FF, Data = Encoding.UTF8.GetBytes(other) });

        await fixture.Sandbox.RemoveContainerAsync(container.Id, TimeSpan.FromSeconds(10), CancellationToken.None);

        Assert.False(Directory.Exists(shared));
        Assert.Equal("x", File.ReadAllText(Path.Combine(other, "0-hosts")));
        Directory.Delete(other, recursive: true);
        Assert.False(Directory.Exists(bundle));
        Assert.False(Directory.Exists(cgroup));
        Assert.Null(await fixture.Host.Runtime.StatusAsync(container.Id));
        Assert.Throws<NotFoundException>(() => fixture.Sandbox.Get(container.Id));
        Assert.Equal(137, (await container.Container.Init.Exited).ShellCode);
    }

    private Task Type(string id, string text) =>
        fixture.Sandbox.WriteStdinAsync(id, "", Encoding.ASCII.GetBytes(text), CancellationToken.None);

    private async Task ReadUntilAsync(string id, StringBuilder transcript, string expected, CancellationToken cancellationToken, string execId = "")
    {
        while (!transcript.ToString().Contains(expected, StringComparison.Ordinal))
        {
            var chunk = await fixture.Sandbox.ReadAsync(id, execId, OutputStream.Stdout, 4096, cancellationToken);
            Assert.True(chunk.Length > 0, $"end of output before '{expected}'; got: {transcript}");
            transcript.Append(Encoding.UTF8.GetString(chunk));
        }
    }

    private static int ReadCounter(string path)
    {
        var text = File.Exists(path) ? File.ReadAllText(path).Trim() : "";
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : 0;
    }

    private static async Task WaitForCounterAboveAsync(string path, int value)
    {
        for (var attempt = 0; attempt < 200 && ReadCounter(path) <= value; attempt++)
        {
            await Task.Delay(50);
        }

        Assert.True(ReadCounter(path) > value, $"the counter stayed at {ReadCounter(path)}");
    }
}
