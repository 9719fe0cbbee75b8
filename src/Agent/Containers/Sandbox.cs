namespace Sealpod.Agent.Containers;

/// <summary>
/// The pod as the guest sees it: its containers and sandbox-wide storages. Owns every container
/// operation the agent API offers; the service layer only translates messages and errors. Split
/// by concern into partial files (create, processes, lifecycle).
/// </summary>
internal sealed partial class Sandbox : IAsyncDisposable
{
    private readonly AgentOptions _options;
    private readonly OciRuntime _runtime;
    private readonly ChildReaper _reaper;
    private readonly FdPoller _poller;
    private readonly StorageManager _storage;
    private readonly CgroupStatsReader _stats;
    private readonly OomWatcher _oom;
    private readonly GuestSystem _guest;
    private readonly BlockDeviceResolver _deviceResolver;
    private readonly SharedFilesCleaner _sharedFiles;
    private readonly ILogger _log;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Container> _containers = new(StringComparer.Ordinal);
    private readonly HashSet<string> _creating = new(StringComparer.Ordinal);
    private readonly List<MountedStorage> _sandboxStorages = [];
    private long _socketCounter;

    public Sandbox(
        AgentOptions options,
        OciRuntime runtime,
        ChildReaper reaper,
        FdPoller poller,
        StorageManager storage,
        CgroupLayout cgroups,
        GuestSystem guest,
        ILogger log)
    {
        _options = options;
        _runtime = runtime;
        _reaper = reaper;
        _poller = poller;
        _storage = storage;
        _stats = new CgroupStatsReader(cgroups);
        _oom = new OomWatcher(cgroups, poller);
        _guest = guest;
        _deviceResolver = new BlockDeviceResolver(options.SysfsRoot);
        _sharedFiles = new SharedFilesCleaner(options.SharedFilesRoot);
        _log = log;
    }

    public string SandboxId { get; private set; } = "";

    public IReadOnlyList<Container> Containers
    {
        get
        {
            lock (_gate)
            {
                return [.. _containers.Values];
            }
        }
    }

    public Container Get(string containerId)
    {
        lock (_gate)
        {
            return _containers.TryGetValue(containerId, out var container)
                ? container
                : throw new NotFoundException($"container {containerId} not found");
        }
    }

    /// <summary>Sets the sandbox up: hostname, DNS and kernel modules (guest only), shared storages.</summary>
    public async Task CreateSandboxAsync(SandboxSpec spec, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        SandboxId = spec.SandboxId;
        if (!string.IsNullOrEmpty(spec.Hostname))
        {
            _guest.SetHostname(spec.Hostname);
        }

        if (spec.Dns.Count > 0)
        {
            _guest.WriteResolvConf(spec.Dns);
        }

        foreach (var (name, parameters) in spec.KernelModules)
        {
            await _guest.LoadKernelModuleAsync(name, parameters, cancellationToken).ConfigureAwait(false);
        }

        foreach (var storage in spec.Storages)
        {
            var mounted = await _storage.MountAsync(storage, cancellationToken).ConfigureAwait(false);
            lock (_gate)
            {
                _sandboxStorages.Add(mounted);
            }
        }

        _log.LogInformation("sandbox {SandboxId} created ({Storages} storages)", spec.SandboxId, spec.Storages.Count);
    }

    /// <summary>Removes every container, then the sandbox storages.</summary>
    public async Task DestroySandboxAsync(CancellationToken cancellationToken)
    {
        foreach (var container in Containers)
        {
            await RemoveContainerAsync(container.Id, TimeSpan.FromSeconds(10), cancellationToken).ConfigureAwait(false);
        }

        MountedStorage[] storages;
        lock (_gate)
        {
            storages = [.. _sandboxStorages];
            _sandboxStorages.Clear();
        }

        for (var i = storages.Length - 1; i >= 0; i--)
        {
            _storage.Release(storages[i]);
        }

        _log.LogInformation("sandbox {SandboxId} destroyed", SandboxId);
    }

    /// <summary>Waits for the next OOM kill in any container; returns its id.</summary>
    public ValueTask<string> NextOomEventAsync(CancellationToken cancellationToken) => _oom.NextAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        foreach (var container in Containers)
        {
            try
            {
                await RemoveContainerAsync(container.Id, TimeSpan.FromSeconds(10), CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                _log.LogWarning(e, "removing container {ContainerId} at shutdown failed", container.Id);
            }
        }

        await _oom.DisposeAsync().ConfigureAwait(false);
    }

    private string NextConsoleSocketPath()
    {
        var directory = Path.Combine(_options.ContainersRoot, ".sockets");
        Directory.CreateDirectory(directory);
        return Path.Combine(directory, Interlocked.Increment(ref _socketCounter).ToString(CultureInfo.InvariantCulture) + ".sock");
    }

    private static int ReadPidFile(string path)
    {
        var text = File.ReadAllText(path).Trim();
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && pid > 0
            ? pid
            : throw new OciRuntimeException($"the runtime wrote no valid pid to {path}: '{text}'");
    }
}
