using Grpc.Core;
using Grpc.Net.Client;
using Sealpod.Rpc.Grpc;

namespace Sealpod.IntegrationTests;

/// <summary>
/// A containerd 1.6 of the tests' own (root, state, socket and config in a temporary directory; never the
/// system's), with the Sealpod shim first on its PATH, the guest image staged and busybox imported. One per
/// test class. Disposing stops it and removes everything; <see cref="AssertNothingLeftAsync"/> checks after each
/// test that no VM, shim, mount, socket or FIFO of a finished container survived.
/// </summary>
public sealed class PrivateContainerd : IAsyncLifetime
{
    public const string Namespace = "sealpod";
    public const string Image = "docker.io/library/busybox:latest";

    // Short: unix socket paths under it (containerd's, the VMs') must fit in 107 bytes.
    private readonly string _root = ScratchDirectory.Create("spi-");
    private Process? _containerd;

    public string Root => _root;

    public string Socket => Path.Combine(_root, "c.sock");

    public string SandboxRunDirectory => Path.Combine(_root, "run");

    public string StateDirectory => Path.Combine(_root, "state");

    public string ConfigPath => Path.Combine(_root, "configuration.toml");

    public string FifoDirectory => Path.Combine(_root, "fifo");

    public string GuestKernelRelease { get; private set; } = string.Empty;

    public async Task InitializeAsync()
    {
        string guest = Repository.GuestDirectory;
        foreach (var required in new[] { "vmlinuz", "vmlinux", "initrd.img", "rootfs.img" })
        {
            if (!File.Exists(Path.Combine(guest, required)))
            {
                throw new InvalidOperationException($"{Path.Combine(guest, required)} is missing: build the guest first (make guest)");
            }
        }

        GuestKernelRelease = File.Exists(Path.Combine(guest, "kernel.release")) ? File.ReadAllText(Path.Combine(guest, "kernel.release")).Trim() : string.Empty;
        Directory.CreateDirectory(FifoDirectory);
        string bin = Directory.CreateDirectory(Path.Combine(_root, "bin")).FullName;
        File.CreateSymbolicLink(Path.Combine(bin, "containerd-shim-sealpod-v2"), ShimUnderTest.Binary);

        // The shipped default, only its paths pointed at this build: what `make run` and an installed shim use.
        await StageConfigAsync(Path.GetFileName(ConfigPath), "configuration-qemu-coco-dev.toml");

        await File.WriteAllTextAsync(Path.Combine(_root, "containerd.toml"), $$"""
            version = 2
            root = "{{_root}}/root"
            state = "{{StateDirectory}}"
            disabled_plugins = ["io.containerd.grpc.v1.cri", "io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.devmapper", "io.containerd.snapshotter.v1.zfs", "io.containerd.tracing.processor.v1.otlp", "io.containerd.internal.v1.tracing"]
            [grpc]
              address = "{{Socket}}"
            [ttrpc]
              address = "{{Socket}}.ttrpc"
            [plugins."io.containerd.grpc.v1.cri"]
              restrict_oom_score_adj = true
            """);

        await StartContainerdAsync();

        string image = Path.Combine(_root, "busybox-oci.tar");
        var build = await Command.RunAsync(Path.Combine(Repository.Root, "scripts", "shim", "busybox-image.sh"), [image]);
        Assert.True(build.ExitCode == 0, build.ToString());
        var import = await Ctr(["images", "import", image]);
        Assert.True(import.ExitCode == 0, import.ToString());
    }

    /// <summary>
    /// SIGKILL to containerd, then the same containerd started again on the same root, state and socket: it reloads its
    /// tasks from the state directory and reconnects to the shims that kept running.
    /// </summary>
    public async Task KillAndRestartAsync()
    {
        _containerd!.Kill();
        await _containerd.WaitForExitAsync();
        await StartContainerdAsync();
    }

    private async Task StartContainerdAsync()
    {
        var start = new ProcessStartInfo("containerd", ["--config", Path.Combine(_root, "containerd.toml")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["PATH"] = Path.Combine(_root, "bin") + ":" + Environment.GetEnvironmentVariable("PATH");
        start.Environment["SEALPOD_RUN_DIR"] = SandboxRunDirectory;
        start.Environment["SEALPOD_STATE_DIR"] = Path.Combine(_root, "sealpod-state");
        _containerd = Process.Start(start)!;
        var log = File.AppendText(Path.Combine(_root, "containerd.log"));
        log.AutoFlush = true;
        _ = HostScan.PumpAsync(_containerd.StandardError, () => log, log);
        _ = HostScan.PumpAsync(_containerd.StandardOutput, () => log, log);

        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!File.Exists(Socket) || (await Command.RunAsync("ctr", ["--address", Socket, "version"])).ExitCode != 0)
        {
            Assert.False(_containerd.HasExited, $"containerd exited: {ContainerdLog()}");
            await Task.Delay(100, limit.Token);
        }
    }

    public async Task DisposeAsync()
    {
        // Whatever a failed test left running: kill, delete, then stop containerd.
        var tasks = await Ctr(["tasks", "ls", "-q"]);
        foreach (var id in tasks.Text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            await Ctr(["tasks", "kill", "-s", "SIGKILL", id]);
            await WaitForStatusAsync(id, "STOPPED", TimeSpan.FromSeconds(20), throwOnTimeout: false);
            await Ctr(["tasks", "delete", "-f", id]);
        }

        var containers = await Ctr(["containers", "ls", "-q"]);
        foreach (var id in containers.Text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            await Ctr(["containers", "delete", id]);
        }

        if (_containerd is { HasExited: false })
        {
            _containerd.Kill();
            await _containerd.WaitForExitAsync();
        }

        foreach (int pid in ProcessesUnder())
        {
            try
            {
                Process.GetProcessById(pid).Kill();
            }
            catch (ArgumentException)
            {
            }
        }

        foreach (var mount in MountsUnder().OrderByDescending(m => m.Length))
        {
            await Command.RunAsync("umount", ["-l", mount]);
        }

        Directory.Delete(_root, recursive: true);
    }

    public Task<CommandResult> Ctr(IEnumerable<string> args, byte[]? stdin = null, TimeSpan? timeout = null) =>
        Command.RunAsync("ctr", ["--address", Socket, "-n", Namespace, .. args], stdin, timeout: timeout);

    /// <summary><c>ctr run</c> with the Sealpod runtime and the staged configuration (or <paramref name="configPath"/>).</summary>
    public Task<CommandResult> Run(IEnumerable<string> runOptions, string id, IEnumerable<string> command, byte[]? stdin = null, TimeSpan? timeout = null, string? configPath = null) =>
        Ctr(["run", "--fifo-dir", FifoDirectory, "--runtime", "io.containerd.sealpod.v2", "--runtime-config-path", configPath ?? ConfigPath, .. runOptions, Image, id, .. command], stdin, timeout);

    /// <summary>
    /// Stages another shipped configuration (configs/<paramref name="shipped"/>) the way <c>make run</c> stages the default,
    /// guest paths pointed at this build, then applies <paramref name="edit"/> to its text; returns its path.
    /// </summary>
    public async Task<string> StageConfigAsync(string name, string shipped, Func<string, string>? edit = null)
    {
        string path = Path.Combine(_root, name);
        var stage = await Command.RunAsync(Path.Combine(Repository.Root, "scripts", "shim", "stage-config.sh"), [Path.Combine(Repository.Root, "configs", shipped)], environment: new Dictionary<string, string>
        {
            ["SEALPOD_SHARE"] = Path.Combine(_root, "share"),
            ["SEALPOD_CONFIG"] = path,
            ["GUEST_OUT"] = Repository.GuestDirectory,
        });
        Assert.True(stage.ExitCode == 0, stage.ToString());
        if (edit is not null)
        {
            await File.WriteAllTextAsync(path, edit(await File.ReadAllTextAsync(path)));
        }

        return path;
    }

    /// <summary>The staged guest assets' directory (what /usr/share/sealpod is when installed).</summary>
    public string ShareDirectory => Path.Combine(_root, "share");

    /// <summary>
    /// A channel to containerd's own gRPC API (its socket), for a generated client: containerd's Tasks for what ctr 1.6
    /// cannot do (Update), CRI's RuntimeService and ImageService. The caller disposes it.
    /// </summary>
    public GrpcChannel OpenChannel() => GrpcChannels.ForUnixSocket(Socket);

    /// <summary>
    /// A unary call of a generated client to containerd's own API in this namespace (containerd-namespace metadata),
    /// with a 60 s deadline; a failure is Sealpod.Rpc.RpcException naming <paramref name="method"/>.
    /// </summary>
    public Task<TResponse> CallAsync<TResponse>(string method, Func<CallOptions, AsyncUnaryCall<TResponse>> call) =>
        GrpcCalls.UnaryAsync(method, call, TimeSpan.FromSeconds(60), new Metadata { { "containerd-namespace", Namespace } });

    /// <summary>The STATUS column of <c>ctr task ls</c> for <paramref name="id"/>, or null when there is no task.</summary>
    public async Task<(string Status, int Pid)?> TaskAsync(string id)
    {
        var list = await Ctr(["tasks", "ls"]);
        foreach (var line in list.Text.Split('\n').Skip(1))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length >= 3 && fields[0] == id)
            {
                return (fields[2], int.Parse(fields[1], CultureInfo.InvariantCulture));
            }
        }

        return null;
    }

    /// <summary>Polls until the task reaches <paramref name="status"/>; the timeout only bounds a failing test.</summary>
    public async Task WaitForStatusAsync(string id, string status, TimeSpan timeout, bool throwOnTimeout = true)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if ((await TaskAsync(id))?.Status == status)
            {
                return;
            }

            await Task.Delay(100);
        }

        if (throwOnTimeout)
        {
            Assert.Fail($"task {id} did not become {status} within {timeout.TotalSeconds} s; it is {(await TaskAsync(id))?.Status ?? "gone"}");
        }
    }

    /// <summary>The pid of the container's shim, as containerd recorded it in the task's bundle (shim.pid).</summary>
    public int ShimPid(string id) =>
        int.Parse(File.ReadAllText(Path.Combine(StateDirectory, "io.containerd.runtime.v2.task", Namespace, id, "shim.pid")), CultureInfo.InvariantCulture);

    /// <summary>
    /// SIGKILLs the container's shim, so no teardown runs in it, and waits (up to 30 s) while containerd sees the
    /// connection drop, runs <c>shim delete</c> and reports the task stopped (or forgets it).
    /// </summary>
    public async Task KillShimAsync(string id)
    {
        Process.GetProcessById(ShimPid(id)).Kill();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (await TaskAsync(id) is { Status: not "STOPPED" } && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }
    }

    /// <summary>
    /// Ends container <paramref name="id"/> as a user does: SIGKILL, wait (up to 30 s) until it is STOPPED, remove the
    /// task, then the container record. With <paramref name="strict"/> each ctr call must succeed, for the tests whose
    /// subject this path is; without, it is a test's cleanup, whose failures its own assertions report.
    /// </summary>
    public async Task KillAndRemoveAsync(string id, bool strict = false)
    {
        await StepAsync(["tasks", "kill", "-s", "SIGKILL", id]);
        await WaitForStatusAsync(id, "STOPPED", TimeSpan.FromSeconds(30));
        await StepAsync(["tasks", "rm", id]);
        await StepAsync(["containers", "rm", id]);

        async Task StepAsync(string[] args)
        {
            var result = await Ctr(args);
            Assert.True(!strict || result.ExitCode == 0, $"ctr {string.Join(' ', args)}: {result}");
        }
    }

    /// <summary>Removes the container's task (forced) and then the container record, as a test's cleanup does.</summary>
    public async Task RemoveContainerAsync(string id)
    {
        await Ctr(["tasks", "rm", "-f", id]);
        await Ctr(["containers", "rm", id]);
    }

    /// <summary>The shim socket containerd uses for a group, computed like containerd does.</summary>
    public string ShimSocket(string groupId) => HostScan.ShimSocket(Socket, Namespace, groupId);

    /// <summary>Processes started for this containerd (shims and VMs), by their command line.</summary>
    public IReadOnlyList<int> ProcessesUnder(string? marker = null) =>
        HostScan.ProcessesNaming([marker ?? _root], _containerd?.Id).Select(p => p.Pid).ToList();

    public IReadOnlyList<string> MountsUnder() => HostScan.MountsUnder([_root]);

    /// <summary>After a test: nothing of the containers <paramref name="ids"/> is left on the host.</summary>
    public async Task AssertNothingLeftAsync(params string[] ids)
    {
        // containerd deletes bundles right after the shim answered; give the teardown a moment to finish.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        IReadOnlyList<string> leftovers;
        do
        {
            leftovers = Leftovers(ids);
            if (leftovers.Count == 0)
            {
                return;
            }

            await Task.Delay(100);
        }
        while (DateTime.UtcNow < deadline);

        Assert.Fail("left behind:\n" + string.Join('\n', leftovers) + "\ncontainerd log tail:\n" + ContainerdLog());
    }

    /// <summary>
    /// Runs <paramref name="action"/> while <c>ctr events</c> records what containerd publishes, then waits (up to
    /// 20 s: events trail the calls) until <paramref name="done"/> holds for the lines seen so far. Returns the action's
    /// result and every line ("TIMESTAMP NAMESPACE TOPIC {json}"), in order.
    /// </summary>
    public async Task<(T Result, IReadOnlyList<string> Lines)> CollectEventsAsync<T>(Func<Task<T>> action, Func<IReadOnlyList<string>, bool> done)
    {
        var lines = new List<string>();
        IReadOnlyList<string> Seen()
        {
            lock (lines)
            {
                return lines.ToList();
            }
        }

        using var stop = new CancellationTokenSource();
        var events = CliWrap.Cli.Wrap("ctr")
            .WithArguments(["--address", Socket, "events"])
            .WithStandardOutputPipe(CliWrap.PipeTarget.ToDelegate(line =>
            {
                lock (lines)
                {
                    lines.Add(line);
                }
            }))
            .WithValidation(CliWrap.CommandResultValidation.None)
            .ExecuteAsync(stop.Token);
        try
        {
            // ctr subscribes once it runs: what the action does first must not be published before that.
            await Task.Delay(500);
            var result = await action();
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
            while (DateTime.UtcNow < deadline && !done(Seen()))
            {
                await Task.Delay(100);
            }

            return (result, Seen());
        }
        finally
        {
            // ctr events runs until it is killed: cancelling kills it.
            await stop.CancelAsync();
            try
            {
                await events;
            }
            catch (OperationCanceledException)
            {
            }
        }
    }

    public string ContainerdLog(int lines = 40) => HostScan.LogTail(Path.Combine(_root, "containerd.log"), lines);

    private List<string> Leftovers(string[] ids)
    {
        var found = new List<string>();
        // A process listed a moment ago may be reaped before its command line is read: then it is no leftover.
        found.AddRange(HostScan.ProcessesNaming([_root], _containerd?.Id).Select(p => $"process {p.Pid}: {p.CommandLine}"));
        found.AddRange(MountsUnder().Select(m => $"mount {m}"));
        foreach (var id in ids)
        {
            if (File.Exists(ShimSocket(id)))
            {
                found.Add($"shim socket {ShimSocket(id)}");
            }

            if (Directory.Exists(Path.Combine(SandboxRunDirectory, "sandboxes", id)))
            {
                found.Add($"sandbox directory of {id}");
            }

            if (Directory.Exists(Path.Combine(StateDirectory, "io.containerd.runtime.v2.task", Namespace, id)))
            {
                found.Add($"bundle of {id}");
            }
        }

        found.AddRange(Directory.EnumerateFileSystemEntries(FifoDirectory, "*", SearchOption.AllDirectories).Select(f => $"fifo {f}"));
        return found;
    }
}
