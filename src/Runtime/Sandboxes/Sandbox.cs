using System.Collections.Concurrent;

namespace Sealpod.Runtime.Sandboxes;

/// <summary>
/// One pod sandbox: one VM (a hypervisor plus the agent inside it) and the containers running in it. Partial
/// files by concern: containers (create, delete), lifecycle (VM exit, OOM events, teardown), launch.
/// The sandbox directory is the hypervisor's runtime directory; see <see cref="Configuration.RuntimeDirectories"/>.
/// </summary>
public sealed partial class Sandbox : IAsyncDisposable
{
    private readonly IHypervisor _vm;
    private readonly IAgent _agent;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, Container> _containers = new(StringComparer.Ordinal);

    // Guarded by _imageLock: which image disks are in the VM and who uses them.
    private readonly Dictionary<string, ImageAttachment> _images = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _imageLock = new(1, 1);
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _vmWatcher;
    private readonly Task _oomLoop;
    private int _disposed;
    private VmExitInfo? _vmExit;

    // shared_fs = "virtio-fs": the directory virtiofsd serves; owned (and unmounted) by the sandbox.
    private readonly VirtioFsShare? _share;

    // The pod network's taps, qdiscs and filters; removed at teardown (null: the VM has no NIC).
    private readonly Network.SandboxNetwork? _network;

    // CRI's PortForward relay in the pod's namespace (null without a pod network); set once at launch.
    private Network.PortForward.PortForwarder? _portForwarder;

    internal Sandbox(
        string id, string directory, IHypervisor vm, IAgent agent, EventQueue events, FdPoller poller,
        SandboxSettings settings, string? bootImageDigest, ILogger logger, TimeProvider? time = null, string containerdNamespace = SandboxHostOptions.DefaultNamespace,
        VirtioFsShare? share = null, Network.SandboxNetwork? network = null)
    {
        _share = share;
        _network = network;
        Id = id;
        Directory = directory;
        _vm = vm;
        _agent = agent;
        _logger = logger;
        Settings = settings;
        Pid = (uint)(vm.Pid ?? throw new ArgumentException("the VM has not been started", nameof(vm)));
        ProcessContext = new ProcessContext(agent, events, poller, Pid, logger, time ?? TimeProvider.System, containerdNamespace);
        if (bootImageDigest is not null)
        {
            string deviceId = ImageAttachment.DeviceId(bootImageDigest);
            var disk = vm.BlockDevices.FirstOrDefault(d => d.Device.Id == deviceId)
                ?? throw new ArgumentException($"the VM has no boot disk {deviceId}", nameof(bootImageDigest));
            _images[bootImageDigest] = new ImageAttachment(bootImageDigest, disk);
        }

        _vmWatcher = Task.Run(WatchVmAsync);
        _oomLoop = Task.Run(ForwardOomEventsAsync);
    }

    public string Id { get; }

    /// <summary>The sandbox's directory on the host (the VM's sockets and logs).</summary>
    public string Directory { get; }

    /// <summary>The hypervisor's pid: what containerd sees as every task's pid.</summary>
    public uint Pid { get; }

    public SandboxSettings Settings { get; }

    /// <summary>The containers that have not been deleted.</summary>
    public IReadOnlyCollection<Container> Containers => _containers.Values.ToArray();

    /// <summary>Whether the VM has exited (then every process has exited with it).</summary>
    public bool VmExited => Volatile.Read(ref _vmExit) is not null;

    internal ProcessContext ProcessContext { get; }

    public Container GetContainer(string id) =>
        _containers.TryGetValue(id, out var container) ? container : throw new NotFoundException($"container {id} not found in sandbox {Id}");

    private void ThrowIfVmGone(string what)
    {
        if (Volatile.Read(ref _vmExit) is { } exit)
        {
            throw new UnavailableException($"cannot {what}: the VM of sandbox {Id} exited (status {exit.ExitCode}{(exit.ShutdownReason is null ? string.Empty : ", " + exit.ShutdownReason)})");
        }
    }
}
