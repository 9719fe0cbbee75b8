using Grpc.Core;
using Grpc.Net.Client;
using Sealpod.CriHarness.V1;
using Sealpod.Rpc.Grpc;

namespace Sealpod.CriHarness;

/// <summary>
/// A containerd 1.6 of the harness's own with its CRI plugin on, run inside an <see cref="IsolatedNetwork"/> (setns
/// before exec, through nsenter: the network namespace only, so its mounts stay visible to the harness), with root,
/// state, socket, CNI leases and logs in one scratch directory. The handlers are runc and sealpod
/// (<see cref="CriContainerdConfig"/>); the images (busybox, the pause image) are built from Debian's busybox-static
/// and imported, never pulled. Disposing removes every pod, stops containerd, kills and unmounts whatever is left
/// under the directory, deletes the namespace and the directory.
/// </summary>
public sealed class CriContainerd : IAsyncDisposable
{
    /// <summary>containerd's CRI namespace.</summary>
    public const string Namespace = "k8s.io";

    public const string BusyboxImage = "docker.io/library/busybox:latest";

    private readonly CriHarnessPaths _paths;
    private readonly string _root;
    private readonly CriContainerdConfig _config;
    private Process? _containerd;
    private int _containerdPid;
    private StreamWriter? _log;
    private GrpcChannel? _channel;

    private CriContainerd(CriHarnessPaths paths, string root, IsolatedNetwork network, Func<CriContainerdConfig, CriContainerdConfig>? configure)
    {
        _paths = paths;
        _root = root;
        Network = network;
        _config = new CriContainerdConfig(root, Path.Combine(root, "configuration.toml"), Path.Combine(root, "cni"));
        _config = configure?.Invoke(_config) ?? _config;
        Cgroups = new PodCgroups("/sealpod-cri-" + Path.GetFileName(root)[4..]);
    }

    /// <summary>The pods' cgroups, under a parent of this instance's own.</summary>
    public PodCgroups Cgroups { get; }

    public IsolatedNetwork Network { get; }

    public string Root => _root;

    public string Socket => _config.Socket;

    /// <summary>containerd's root directory (content store, snapshotters' directories).</summary>
    public string RootDirectory => _config.RootDirectory;

    /// <summary>The staged Sealpod configuration the sealpod handler runs with.</summary>
    public string SealpodConfigPath => _config.SealpodConfig;

    /// <summary>
    /// Where the sealpod shim keeps its sandboxes' sockets and logs (SEALPOD_RUN_DIR): /run/spcXXXXXXXX, not under the
    /// scratch directory, because CRI's sandbox ids are 64 characters and RUN/sandboxes/ID/vhost-fs.sock must fit a
    /// unix socket path's 107 bytes (as /run/sealpod does when installed).
    /// </summary>
    public string SealpodRunDirectory => "/run/spc" + Path.GetFileName(_root)[4..];

    /// <summary>Where CRI puts the pods' network namespaces (netns_mounts_under_state_dir).</summary>
    public string PodNetnsDirectory => Path.Combine(_config.StateDirectory, "io.containerd.grpc.v1.cri", "netns");

    public RuntimeService.RuntimeServiceClient Runtime { get; private set; } = null!;

    public ImageService.ImageServiceClient Images { get; private set; } = null!;

    /// <summary>Starts it; on any failure everything made so far is removed before the error propagates.</summary>
    public static Task<CriContainerd> StartAsync(CriHarnessPaths paths, CancellationToken cancellationToken = default) =>
        StartAsync(paths, configure: null, cancellationToken);

    /// <summary>Starts it with its configuration changed by <paramref name="configure"/> (a snapshotter, a registry).</summary>
    public static async Task<CriContainerd> StartAsync(CriHarnessPaths paths, Func<CriContainerdConfig, CriContainerdConfig>? configure, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(paths);
        string root = Path.Combine(paths.ScratchParent, "spc-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        // scripts/shim/sweep.sh only sweeps a directory that carries this marker.
        await File.WriteAllTextAsync(Path.Combine(root, ".sealpod-scratch"), string.Empty, cancellationToken).ConfigureAwait(false);
        IsolatedNetwork network;
        try
        {
            network = await IsolatedNetwork.CreateAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            Directory.Delete(root, recursive: true);
            throw;
        }

        var containerd = new CriContainerd(paths, root, network, configure);
        try
        {
            await containerd.InitializeAsync(cancellationToken).ConfigureAwait(false);
            return containerd;
        }
        catch
        {
            await containerd.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Turns <c>experimental_force_guest_pull</c> on in the staged Sealpod configuration (the shim reads it at every
    /// sandbox start), so the sealpod handler has the guest pull every image, as Kata's force pull does.
    /// </summary>
    /// <exception cref="InvalidOperationException">The staged configuration lacks <c>experimental_force_guest_pull = false</c>.</exception>
    public async Task ForceGuestPullAsync(CancellationToken cancellationToken = default)
    {
        const string Off = "experimental_force_guest_pull = false";
        string staged = await File.ReadAllTextAsync(SealpodConfigPath, cancellationToken).ConfigureAwait(false);
        if (!staged.Contains(Off, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"{SealpodConfigPath}: expected the line '{Off}' to turn force pull on");
        }

        await File.WriteAllTextAsync(SealpodConfigPath, staged.Replace(Off, "experimental_force_guest_pull = true", StringComparison.Ordinal), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>containerd's log, its last <paramref name="lines"/> lines: for a failing test's message.</summary>
    public string LogTail(int lines = 40)
    {
        lock (_root)
        {
            return HostScan.LogTail(Path.Combine(_root, "containerd.log"), lines);
        }
    }

    /// <summary>A CRI call's options: a deadline, so a hung call fails the caller instead of hanging it.</summary>
    public static CallOptions Deadline(TimeSpan timeout, CancellationToken cancellationToken = default) =>
        new(deadline: DateTime.UtcNow + timeout, cancellationToken: cancellationToken);

    /// <summary>Processes started for this containerd (shims, VMs), by their command line naming its directory.</summary>
    public IReadOnlyList<(int Pid, string CommandLine)> ProcessesUnder() =>
        HostScan.ProcessesNaming([_root + "/", SealpodRunDirectory + "/"], _containerdPid);

    /// <summary>Mount points under the directory (pod shm, netns bind mounts, rootfs overlays), deepest first.</summary>
    public IReadOnlyList<string> MountsUnder() => HostScan.MountsUnder([_root + "/", SealpodRunDirectory + "/"]);

    /// <summary>The shim socket containerd uses for a sandbox, computed like containerd does.</summary>
    public string ShimSocket(string sandboxId) => HostScan.ShimSocket(Socket, Namespace, sandboxId);

    /// <summary>
    /// What a removed pod may have left on the host: processes (shim, QEMU, the pod's), mounts, pod network namespaces,
    /// the sandboxes' shim sockets and Sealpod sandbox directories, veths and taps in the isolated namespace.
    /// Empty when nothing is left.
    /// </summary>
    public async Task<IReadOnlyList<string>> LeftoversAsync(IEnumerable<string> sandboxIds, CancellationToken cancellationToken = default)
    {
        var found = new List<string>();
        found.AddRange(ProcessesUnder().Select(p => $"process {p.Pid}: {p.CommandLine}"));
        found.AddRange(MountsUnder().Select(m => $"mount {m}"));
        if (Directory.Exists(PodNetnsDirectory))
        {
            found.AddRange(Directory.EnumerateFileSystemEntries(PodNetnsDirectory).Select(n => $"pod network namespace {n}"));
        }

        foreach (var id in sandboxIds)
        {
            if (File.Exists(ShimSocket(id)))
            {
                found.Add($"shim socket {ShimSocket(id)} of {id}");
            }

            if (Directory.Exists(Path.Combine(SealpodRunDirectory, "sandboxes", id)))
            {
                found.Add($"sealpod sandbox directory of {id}");
            }
        }

        // The bridge stays until the namespace goes (CNI's DEL leaves it); a veth or a tap means a pod's plumbing survived.
        var links = await Tool.RunAsync("ip", ["-n", Network.Name, "-o", "link", "show"], cancellationToken).ConfigureAwait(false);
        found.AddRange(links.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Where(l => l.Contains("veth", StringComparison.Ordinal) || l.Contains("tap", StringComparison.Ordinal))
            .Select(l => $"link in {Network.Name}: {l.Trim()}"));
        return found;
    }

    /// <summary>Waits (up to 30 s: teardown finishes after the call answered) until nothing of the pods is left; else throws listing it.</summary>
    public async Task AssertNothingLeftAsync(IEnumerable<string> sandboxIds, CancellationToken cancellationToken = default)
    {
        var ids = sandboxIds.ToList();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        IReadOnlyList<string> leftovers;
        do
        {
            leftovers = await LeftoversAsync(ids, cancellationToken).ConfigureAwait(false);
            if (leftovers.Count == 0)
            {
                return;
            }

            await Task.Delay(200, cancellationToken).ConfigureAwait(false);
        }
        while (DateTime.UtcNow < deadline);

        throw new InvalidOperationException("left behind:\n" + string.Join('\n', leftovers) + "\ncontainerd log tail:\n" + LogTail());
    }

    public async ValueTask DisposeAsync()
    {
        var errors = new List<string>();
        if (_channel is not null && _containerd is { HasExited: false })
        {
            try
            {
                var pods = await Runtime.ListPodSandboxAsync(new ListPodSandboxRequest(), Deadline(TimeSpan.FromSeconds(20)));
                foreach (var pod in pods.Items)
                {
                    await Runtime.StopPodSandboxAsync(new StopPodSandboxRequest { PodSandboxId = pod.Id }, Deadline(TimeSpan.FromSeconds(60)));
                    await Runtime.RemovePodSandboxAsync(new RemovePodSandboxRequest { PodSandboxId = pod.Id }, Deadline(TimeSpan.FromSeconds(60)));
                }
            }
            catch (RpcException error)
            {
                errors.Add($"removing the pods: {error.Status}");
            }
        }

        _channel?.Dispose();
        if (_containerd is { HasExited: false })
        {
            _containerd.Kill();
            await _containerd.WaitForExitAsync().ConfigureAwait(false);
        }

        _containerd?.Dispose();
        foreach (var (pid, _) in ProcessesUnder())
        {
            try
            {
                using var process = Process.GetProcessById(pid);
                process.Kill();
                await process.WaitForExitAsync().ConfigureAwait(false);
            }
            catch (ArgumentException)
            {
            }
            catch (InvalidOperationException)
            {
            }
        }

        foreach (var mount in MountsUnder())
        {
            await Tool.RunAsync("umount", ["-l", mount]).ConfigureAwait(false);
        }

        errors.AddRange(PodCgroups.Remove(Cgroups.Parent));
        await Network.DisposeAsync().ConfigureAwait(false);
        lock (_root)
        {
            _log?.Dispose();
        }

        // Never delete through a mount point: a mount that survived the lazy unmounts keeps the directory.
        if (MountsUnder().Count == 0)
        {
            Directory.Delete(_root, recursive: true);
            if (Directory.Exists(SealpodRunDirectory))
            {
                Directory.Delete(SealpodRunDirectory, recursive: true);
            }
        }
        else
        {
            errors.Add($"{_root} kept: still mounted under it: {string.Join(", ", MountsUnder())}");
        }

        if (errors.Count > 0)
        {
            throw new InvalidOperationException("CRI harness teardown: " + string.Join("; ", errors));
        }
    }

    private async Task InitializeAsync(CancellationToken cancellationToken)
    {
        string bin = Directory.CreateDirectory(Path.Combine(_root, "bin")).FullName;
        File.CreateSymbolicLink(Path.Combine(bin, "containerd-shim-sealpod-v2"), _paths.ShimBinary);
        // The host mount helper of sealpod-snapshotter's fuse.nydus-overlayfs snapshots (mount.fuse runs it from PATH).
        File.CreateSymbolicLink(Path.Combine(bin, "nydus-overlayfs"), _paths.MountHelper);
        Directory.CreateDirectory(_config.CniConfDirectory);
        Directory.CreateDirectory(SealpodRunDirectory);
        await File.WriteAllTextAsync(Path.Combine(_config.CniConfDirectory, "10-sealpod-cri.conflist"), new CniNetworkConfig(Path.Combine(_root, "ipam")).Render(), cancellationToken).ConfigureAwait(false);
        if (_paths.GuestBuilt)
        {
            // The shipped development configuration, only its guest paths pointed at this build: what `make run` uses.
            (await Tool.RunAsync(_paths.Script("stage-config.sh"), [_paths.ShippedConfig], cancellationToken, environment: new Dictionary<string, string>
            {
                ["SEALPOD_SHARE"] = Path.Combine(_root, "share"),
                ["SEALPOD_CONFIG"] = _config.SealpodConfig,
                ["GUEST_OUT"] = _paths.GuestDirectory,
            }).ConfigureAwait(false)).EnsureSuccess();
        }

        string configFile = Path.Combine(_root, "containerd.toml");
        await File.WriteAllTextAsync(configFile, _config.Render(), cancellationToken).ConfigureAwait(false);

        var start = new ProcessStartInfo("nsenter", ["--net=" + Network.Path, "--", "containerd", "--config", configFile])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["PATH"] = bin + ":/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
        start.Environment["SEALPOD_RUN_DIR"] = SealpodRunDirectory;
        start.Environment["SEALPOD_STATE_DIR"] = Path.Combine(_root, "sealpod-state");
        _log = File.CreateText(Path.Combine(_root, "containerd.log"));
        _log.AutoFlush = true;
        _containerd = Process.Start(start) ?? throw new InvalidOperationException("nsenter/containerd did not start");
        _containerdPid = _containerd.Id;
        _ = HostScan.PumpAsync(_containerd.StandardError, () => _log, _root);
        _ = HostScan.PumpAsync(_containerd.StandardOutput, () => _log, _root);

        _channel = GrpcChannels.ForUnixSocket(Socket);
        Runtime = new RuntimeService.RuntimeServiceClient(_channel);
        Images = new ImageService.ImageServiceClient(_channel);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            if (_containerd.HasExited)
            {
                throw new InvalidOperationException($"containerd exited {_containerd.ExitCode}:\n{LogTail()}");
            }

            if (File.Exists(Socket))
            {
                try
                {
                    await Runtime.VersionAsync(new VersionRequest { Version = "v1" }, Deadline(TimeSpan.FromSeconds(5), cancellationToken));
                    break;
                }
                catch (RpcException) when (DateTime.UtcNow < deadline)
                {
                }
            }

            if (DateTime.UtcNow >= deadline)
            {
                throw new TimeoutException($"containerd's CRI did not answer on {Socket} within 60 s:\n{LogTail()}");
            }

            await Task.Delay(100, cancellationToken).ConfigureAwait(false);
        }

        await ImportAsync(BusyboxImage, "[\"sh\"]", cancellationToken).ConfigureAwait(false);
        await ImportAsync(CriContainerdConfig.PauseImage, "[\"sleep\",\"2147483647\"]", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Builds the image from busybox-static (scripts/shim/busybox-image.sh), imports it, waits until CRI lists it.</summary>
    private async Task ImportAsync(string name, string command, CancellationToken cancellationToken)
    {
        string tar = Path.Combine(_root, "images", name.Replace('/', '_').Replace(':', '_') + ".tar");
        Directory.CreateDirectory(Path.GetDirectoryName(tar)!);
        (await Tool.RunAsync(_paths.Script("busybox-image.sh"), [tar], cancellationToken, environment: new Dictionary<string, string>
        {
            ["IMAGE_NAME"] = name,
            ["IMAGE_CMD"] = command,
        }).ConfigureAwait(false)).EnsureSuccess();
        (await Tool.RunAsync("ctr", ["--address", Socket, "-n", Namespace, "images", "import", tar], cancellationToken).ConfigureAwait(false)).EnsureSuccess();

        // CRI learns of imported images from containerd's events: wait until it does, or RunPodSandbox would try to pull.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while ((await Images.ImageStatusAsync(new ImageStatusRequest { Image = new ImageSpec { Image = name } }, Deadline(TimeSpan.FromSeconds(10), cancellationToken))).Image is null)
        {
            if (DateTime.UtcNow >= deadline)
            {
                throw new TimeoutException($"CRI does not list the imported image {name} after 30 s:\n{LogTail()}");
            }

            await Task.Delay(100, cancellationToken).ConfigureAwait(false);
        }
    }
}
