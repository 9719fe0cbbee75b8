namespace Sealpod.IntegrationTests;

/// <summary>
/// Faults around a pod, through a private containerd and the real QEMU and guest (issue #15's fault matrix): a QEMU that
/// never starts, a guest that never answers, the VM lost in the middle of an agent call, virtiofsd killed, containerd
/// killed and restarted, the disk under the sandbox directory full. Each ends in an error that names its cause within
/// the configured time, leaves nothing behind, and a bystander pod keeps working.
/// </summary>
[Trait("Category", "Vm")]
[Trait("Category", "Root")]
public sealed class FaultTests(PrivateContainerd containerd) : IClassFixture<PrivateContainerd>, IAsyncLifetime
{
    public Task InitializeAsync() => Task.CompletedTask;

    // A failed test's pods go with it, so the next test's nothing-left check sees only its own.
    public async Task DisposeAsync()
    {
        var tasks = await containerd.Ctr(["tasks", "ls", "-q"]);
        foreach (var id in tasks.Text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            await containerd.Ctr(["tasks", "kill", "-s", "SIGKILL", id]);
            await containerd.WaitForStatusAsync(id, "STOPPED", TimeSpan.FromSeconds(20), throwOnTimeout: false);
            await containerd.Ctr(["tasks", "rm", "-f", id]);
        }

        foreach (var id in (await containerd.Ctr(["containers", "ls", "-q"])).Text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            await containerd.Ctr(["containers", "rm", id]);
        }
    }

    [Fact]
    public async Task A_missing_qemu_binary_fails_the_create_naming_it_and_leaves_nothing()
    {
        const string Id = "fnobin";
        const string Missing = "/opt/sealpod-missing/qemu-system-x86_64";
        string config = await containerd.StageConfigAsync("configuration-nobin.toml", "configuration-qemu-coco-dev.toml",
            text => text.Replace("\"/usr/bin/qemu-system-x86_64\"", $"\"{Missing}\"", StringComparison.Ordinal));

        var stopwatch = Stopwatch.StartNew();
        var run = await containerd.Run(["--null-io"], Id, ["true"], configPath: config, timeout: TimeSpan.FromSeconds(60));

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains(Missing, run.Stderr, StringComparison.Ordinal);
        Console.WriteLine($"missing QEMU binary: failed in {stopwatch.ElapsedMilliseconds} ms: {run.Stderr.Trim()}");
        await RemoveAsync(Id);
        await containerd.AssertNothingLeftAsync(Id);
    }

    [Fact]
    public async Task A_machine_option_outside_the_allowed_switches_is_refused_before_anything_starts()
    {
        const string Id = "fbadmach";
        string config = await containerd.StageConfigAsync("configuration-badmach.toml", "configuration-qemu-coco-dev.toml",
            text => text.Replace("machine_accelerators = \"\"", "machine_accelerators = \"sealpod-no-such-property=on\"", StringComparison.Ordinal));

        var run = await containerd.Run(["--null-io"], Id, ["true"], configPath: config, timeout: TimeSpan.FromSeconds(60));

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("configuration-badmach.toml", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("machine_accelerators", run.Stderr, StringComparison.Ordinal);
        await RemoveAsync(Id);
        await containerd.AssertNothingLeftAsync(Id);
    }

    [Fact]
    public async Task A_qemu_that_refuses_its_options_fails_the_create_with_qemus_own_words_and_leaves_nothing()
    {
        const string Id = "fbadopt";
        // A well-formed CPU feature name passes the configuration's check; QEMU itself refuses one it does not know.
        string config = await containerd.StageConfigAsync("configuration-badopt.toml", "configuration-qemu-coco-dev.toml",
            text => text.Replace("cpu_features = \"pmu=off\"", "cpu_features = \"pmu=off,sealpodnosuchfeature=on\"", StringComparison.Ordinal));

        var stopwatch = Stopwatch.StartNew();
        var run = await containerd.Run(["--null-io"], Id, ["true"], configPath: config, timeout: TimeSpan.FromSeconds(60));

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("sealpodnosuchfeature", run.Stderr, StringComparison.Ordinal);
        Console.WriteLine($"bad QEMU option: failed in {stopwatch.ElapsedMilliseconds} ms: {run.Stderr.Trim()}");
        await RemoveAsync(Id);
        await containerd.AssertNothingLeftAsync(Id);
    }

    [Fact]
    public async Task A_guest_that_never_answers_fails_the_create_within_its_timeouts_naming_what_did_not_answer_and_leaves_nothing()
    {
        const string Id = "fpaused";
        const int DialTimeout = 10;
        string config = await containerd.StageConfigAsync("configuration-paused.toml", "configuration-qemu-coco-dev.toml",
            text => text.Replace("dial_timeout = 45", $"dial_timeout = {DialTimeout}", StringComparison.Ordinal));
        await using var bystander = await Bystander.StartAsync(containerd, "fpaused-by");

        // SIGSTOP once QMP greeted (the shim logs "QEMU pid N is up"): the whole machine stops answering. The first
        // thing to notice is a QMP command (placing the vCPU threads in the pod cgroup: "QMP query-cpus-fast did not
        // answer within 30 s") or, if that was done, the agent's dial (dial_timeout). Stopped before the greeting, it is
        // "QEMU's QMP socket did not answer within 30 s".
        var run = containerd.Run(["--null-io"], Id, ["true"], configPath: config, timeout: TimeSpan.FromSeconds(120));
        int qemu = await WaitForQemuAsync(Id, TimeSpan.FromSeconds(60));
        var up = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!containerd.ContainerdLog(400).Contains($"QEMU pid {qemu} is up", StringComparison.Ordinal) && DateTime.UtcNow < up)
        {
            await Task.Delay(20);
        }

        var stopwatch = Stopwatch.StartNew();
        Assert.Equal(0, (await Command.RunAsync("kill", ["-STOP", qemu.ToString(CultureInfo.InvariantCulture)])).ExitCode);
        var result = await run;
        stopwatch.Stop();

        Assert.NotEqual(0, result.ExitCode);
        Console.WriteLine($"paused guest: failed in {stopwatch.ElapsedMilliseconds} ms: {result.Stderr.Trim()}");
        // QMP's command timeout is 30 s, the dial's DialTimeout; the rest is slack for a loaded machine.
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(60), $"took {stopwatch.Elapsed}");
        Assert.Matches("QMP .* did not answer within|agent did not answer within", result.Stderr);
        await RemoveAsync(Id);
        await bystander.AssertServesAsync();
        await bystander.DisposeAsync();
        await containerd.AssertNothingLeftAsync(Id);
        Assert.False(Directory.Exists($"/proc/{qemu}"), $"the stopped QEMU {qemu} is still there");
    }

    [Fact]
    public async Task The_vm_lost_in_the_middle_of_an_agent_call_ends_the_call_and_the_task_and_leaves_nothing()
    {
        const string Id = "fmidcall";
        await using var bystander = await Bystander.StartAsync(containerd, "fmidcall-by");
        Assert.Equal(0, (await containerd.Run(["-d", "--null-io"], Id, ["sleep", "1000"])).ExitCode);
        int qemu = (await containerd.TaskAsync(Id))!.Value.Pid;

        // The exec's wait is an agent call held open in the guest; the agent (PID 1 of the VM) goes with the VM.
        var exec = containerd.Ctr(["tasks", "exec", "--fifo-dir", containerd.FifoDirectory, "--exec-id", "long", Id, "sleep", "1000"], timeout: TimeSpan.FromSeconds(90));
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.False(exec.IsCompleted, "the exec ended before the fault");
        var stopwatch = Stopwatch.StartNew();
        Process.GetProcessById(qemu).Kill();

        var ended = await exec;
        Console.WriteLine($"VM lost mid-call: the exec ended in {stopwatch.ElapsedMilliseconds} ms with {ended.ExitCode}: {ended.Stderr.Trim()}");
        Assert.NotEqual(0, ended.ExitCode);
        await containerd.WaitForStatusAsync(Id, "STOPPED", TimeSpan.FromSeconds(30));
        await RemoveAsync(Id);
        await bystander.AssertServesAsync();
        await bystander.DisposeAsync();
        await containerd.AssertNothingLeftAsync(Id);
    }

    [Fact]
    public async Task Killing_virtiofsd_stops_the_vm_and_the_cleanup_leaves_nothing()
    {
        // The shipped coco-dev configuration shares nothing (shared_fs = "none"); this is the virtio-fs configuration.
        const string Id = "fvfsd";
        string volume = Directory.CreateDirectory(Path.Combine(containerd.Root, "volume-fvfsd")).FullName;
        await File.WriteAllTextAsync(Path.Combine(volume, "data.txt"), "tenant data\n");
        string config = await containerd.StageConfigAsync("configuration-virtiofs-fvfsd.toml", "configuration-qemu-coco-dev.toml",
            text => text.Replace("shared_fs = \"none\"", "shared_fs = \"virtio-fs\"", StringComparison.Ordinal));
        var run = await containerd.Run(["-d", "--null-io", "--mount", $"type=bind,src={volume},dst=/data,options=rbind:rw"], Id, ["sleep", "1000"], configPath: config);
        Assert.True(run.ExitCode == 0, run + containerd.ContainerdLog());
        // C virtiofsd forks into its sandbox; the one the shim started (and watches) is the parent, the lower pid.
        int virtiofsd = containerd.ProcessesUnder().Where(pid => CommandLine(pid).StartsWith("/usr/lib/qemu/virtiofsd ", StringComparison.Ordinal)).Min();

        var stopwatch = Stopwatch.StartNew();
        Process.GetProcessById(virtiofsd).Kill();

        // Kata's behaviour: the VM goes with its virtiofsd, so the task exits instead of hanging on the share.
        await containerd.WaitForStatusAsync(Id, "STOPPED", TimeSpan.FromSeconds(30));
        Console.WriteLine($"virtiofsd killed: task stopped after {stopwatch.ElapsedMilliseconds} ms");
        await RemoveAsync(Id);
        await containerd.AssertNothingLeftAsync(Id);
        Assert.Equal("tenant data\n", await File.ReadAllTextAsync(Path.Combine(volume, "data.txt")));
    }

    [Fact]
    public async Task After_containerd_is_killed_and_restarted_the_running_pod_keeps_working_and_stop_and_remove_work()
    {
        const string Id = "frestart";
        Assert.Equal(0, (await containerd.Run(["-d", "--null-io"], Id, ["sleep", "1000"])).ExitCode);
        var before = await containerd.TaskAsync(Id);

        await containerd.KillAndRestartAsync();

        // containerd reloaded the task from its state and reconnected to the shim, which kept the VM running.
        Assert.Equal(("RUNNING", before!.Value.Pid), await containerd.TaskAsync(Id));
        var exec = await containerd.Ctr(["tasks", "exec", "--fifo-dir", containerd.FifoDirectory, "--exec-id", "after", Id, "cat", "/proc/version"]);
        Assert.True(exec.ExitCode == 0, exec + containerd.ContainerdLog());
        Assert.Contains(containerd.GuestKernelRelease, exec.Text, StringComparison.Ordinal);

        // The exit reaches the new containerd as an event (the shim's publisher reconnected) and the delete works.
        await containerd.KillAndRemoveAsync(Id, strict: true);
        await containerd.AssertNothingLeftAsync(Id);
    }

    [Fact]
    public async Task A_full_disk_under_the_sandbox_directory_fails_the_create_clearly_and_leaves_nothing()
    {
        const string Id = "fdisk";
        string run = containerd.SandboxRunDirectory;
        Directory.CreateDirectory(run);
        Assert.Equal(0, (await Command.RunAsync("mount", ["-t", "tmpfs", "-o", "size=256k", "sealpod-full", run])).ExitCode);
        try
        {
            // Fill it: what is left is less than a page.
            var fill = await Command.RunAsync("dd", ["if=/dev/zero", $"of={Path.Combine(run, "filler")}", "bs=4k"]);
            Assert.Contains("No space left", fill.Stderr, StringComparison.Ordinal);

            var stopwatch = Stopwatch.StartNew();
            var result = await containerd.Run(["--null-io"], Id, ["true"], timeout: TimeSpan.FromSeconds(120));
            Console.WriteLine($"full disk: failed in {stopwatch.ElapsedMilliseconds} ms: {result.Stderr.Trim()}");

            Assert.NotEqual(0, result.ExitCode);
            Assert.Contains("No space left on device", result.Stderr, StringComparison.Ordinal);
            await RemoveAsync(Id);
            // The sandboxes directory itself stays (as after any pod); nothing of the pod is in it.
            Assert.Equal(["filler", "sandboxes"], Directory.EnumerateFileSystemEntries(run, "*", SearchOption.AllDirectories).Select(e => Path.GetRelativePath(run, e)).Order(StringComparer.Ordinal));
        }
        finally
        {
            await Command.RunAsync("umount", [run]);
        }

        await containerd.AssertNothingLeftAsync(Id);
    }

    private Task RemoveAsync(string id) => containerd.RemoveContainerAsync(id);

    private async Task<int> WaitForQemuAsync(string id, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        string marker = Path.Combine(containerd.SandboxRunDirectory, "sandboxes", id) + "/";
        while (DateTime.UtcNow < deadline)
        {
            foreach (int pid in containerd.ProcessesUnder(marker))
            {
                if (CommandLine(pid).StartsWith("/usr/bin/qemu-system", StringComparison.Ordinal))
                {
                    return pid;
                }
            }

            await Task.Delay(20);
        }

        Assert.Fail($"no QEMU for {id} within {timeout.TotalSeconds} s: {containerd.ContainerdLog()}");
        return 0;
    }

    private static string CommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ');
        }
        catch (IOException)
        {
            return string.Empty;
        }
    }

    /// <summary>Another pod of the same containerd, running through the fault: it must keep answering execs.</summary>
    private sealed class Bystander : IAsyncDisposable
    {
        private readonly PrivateContainerd _containerd;
        private readonly string _id;
        private int _execs;
        private bool _disposed;

        private Bystander(PrivateContainerd containerd, string id)
        {
            _containerd = containerd;
            _id = id;
        }

        public static async Task<Bystander> StartAsync(PrivateContainerd containerd, string id)
        {
            var run = await containerd.Run(["-d", "--null-io"], id, ["sleep", "1000"]);
            Assert.True(run.ExitCode == 0, run + containerd.ContainerdLog());
            return new Bystander(containerd, id);
        }

        public async Task AssertServesAsync()
        {
            Assert.Equal("RUNNING", (await _containerd.TaskAsync(_id))?.Status);
            var exec = await _containerd.Ctr(["tasks", "exec", "--fifo-dir", _containerd.FifoDirectory, "--exec-id", $"by{++_execs}", _id, "echo", "still here"]);
            Assert.True(exec.ExitCode == 0 && exec.Text.Contains("still here", StringComparison.Ordinal), exec.ToString());
        }

        /// <summary>Removes the pod; after this nothing of it is left (checked).</summary>
        public async ValueTask DisposeAsync()
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            await _containerd.Ctr(["tasks", "kill", "-s", "SIGKILL", _id]);
            await _containerd.WaitForStatusAsync(_id, "STOPPED", TimeSpan.FromSeconds(30), throwOnTimeout: false);
            await _containerd.RemoveContainerAsync(_id);
            await _containerd.AssertNothingLeftAsync(_id);
        }
    }
}
