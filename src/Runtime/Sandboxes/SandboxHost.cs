namespace Sealpod.Runtime.Sandboxes;

/// <summary>
/// What one shim process runs: at most one sandbox (the shim's group), its event queue and its FIFO poller.
/// The first container of the group boots the sandbox's VM; pod containers of that sandbox join it. The VM
/// stops when the container that booted it is deleted, as Kata does.
/// </summary>
public sealed partial class SandboxHost : IAsyncDisposable
{
    private readonly SandboxHostOptions _options;
    private readonly ILogger _logger;
    private readonly RuntimeConfigResolver _configResolver;
    private readonly ErofsImageCache _images;
    private readonly SemaphoreSlim _lifecycle = new(1, 1);
    private readonly FdPoller _poller = new();
    private Sandbox? _sandbox;
    private string? _primaryContainerId;
    private int _disposed;

    public SandboxHost(SandboxHostOptions options)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _logger = options.LoggerFactory.CreateLogger("Sealpod.Runtime.SandboxHost");
        _configResolver = new RuntimeConfigResolver(new ConfigurationLoader(options.ConfigurationLoader), _logger);
        _images = new ErofsImageCache(options.Directories.RootfsCache, options.LoggerFactory.CreateLogger("Sealpod.Runtime.Rootfs"), options.MkfsErofs);
        Events = new EventQueue(options.Publisher, options.LoggerFactory.CreateLogger("Sealpod.Runtime.Events"), options.Time);
    }

    public EventQueue Events { get; }

    /// <summary>The running sandbox, if any.</summary>
    public Sandbox? Sandbox => Volatile.Read(ref _sandbox);

    /// <summary>Whether any container has not been deleted yet.</summary>
    public bool HasContainers => Sandbox is { } sandbox && sandbox.Containers.Count > 0;

    public Container GetContainer(string id) =>
        Sandbox?.GetContainer(id) ?? throw new NotFoundException($"container {id} not found");

    /// <summary>
    /// containerd's Create: validates the id, reads the bundle, mounts the rootfs and gets its image, then boots
    /// the sandbox (first container) or joins it (pod container). On failure everything created is undone.
    /// </summary>
    public async Task<Container> CreateAsync(ContainerCreateRequest request, StartupTimeline timeline, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(timeline);
        Identifiers.ValidateContainerId(request.Id);
        var bundle = OciBundle.Load(request.Bundle);
        var membership = PodMembership.FromAnnotations(request.Id, bundle.Annotations);
        VmPodSpecGuard.Check(bundle, membership.Kind);

        await _lifecycle.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
            var sandbox = Sandbox;
            if (sandbox is null && membership.Kind == ContainerKind.PodContainer)
            {
                throw new NotFoundException($"container {request.Id} belongs to sandbox {membership.SandboxId}, which is not running in this shim");
            }

            if (sandbox is not null && (membership.Kind != ContainerKind.PodContainer || membership.SandboxId != sandbox.Id))
            {
                throw new FailedPreconditionException(
                    $"container {request.Id} cannot join sandbox {sandbox.Id}: it is {(membership.Kind == ContainerKind.PodContainer ? "a container of sandbox " + membership.SandboxId : "not a pod container")}");
            }

            // Configuration and the guest's spec first: a refused annotation or a mount the guest cannot have must
            // fail before anything is mounted or booted.
            SealpodConfiguration? configuration = sandbox is null
                ? await timeline.MeasureAsync("config", external: false, () => _configResolver.ResolveAsync(request.ConfigPath, bundle.Annotations, cancellationToken, request.ConfigBody)).ConfigureAwait(false)
                : null;
            if (configuration is not null)
            {
                // The CRI sizing annotations size the VM before it boots (static sizing: nothing is hot-plugged later).
                var sizing = SandboxSizing.FromAnnotations(bundle.Annotations);
                configuration = configuration with { Hypervisor = sizing.Apply(configuration, _options.HostMemory, _options.HostCpus) };
            }

            // The pod cgroup's path is checked here, before anything is mounted or booted.
            var hostCgroups = configuration is null ? null : HostCgroupPlan.From(bundle, request.Id, configuration);

            var disableGuestSeccomp = sandbox?.Settings.DisableGuestSeccomp ?? configuration!.Runtime.DisableGuestSeccomp;
            var guestSpec = sandbox?.Settings.VirtioFs ?? SandboxSettings.UsesVirtioFs(configuration!)
                ? GuestContainerSpec.PrepareShared(bundle, request.Id, disableGuestSeccomp)
                : GuestContainerSpec.Prepare(bundle, request.Id, disableGuestSeccomp);

            // Kata's guest pull: forced by configuration, or asked for by the snapshotter's rootfs mount option. The host
            // then reads nothing of the image.
            var guestPullVolume = ImageGuestPull.FindVolume(request.Rootfs);
            var forceGuestPull = sandbox?.Settings.ForceGuestPull ?? configuration!.Runtime.ExperimentalForceGuestPull;
            var rootfs = guestPullVolume is not null || forceGuestPull
                ? ContainerRootfs.ForGuestPull(bundle.RootfsPath, ImageGuestPull.StorageFor(request.Id, membership.Kind == ContainerKind.PodSandbox, bundle.Annotations, guestPullVolume))
                : await timeline.MeasureAsync("rootfs", external: false,
                    () => ContainerRootfs.PrepareAsync(bundle.RootfsPath, request.Rootfs, _images, _logger, cancellationToken)).ConfigureAwait(false);
            bool launched = false;
            try
            {
                if (sandbox is null)
                {
                    sandbox = await Sandbox.LaunchAsync(new SandboxLaunchRequest
                    {
                        SandboxId = request.Id,
                        Configuration = configuration!,
                        Directories = _options.Directories,
                        BootImage = rootfs.Image,
                        Hostname = bundle.Hostname,
                        NetworkNamespacePath = _options.PodNetwork ? Network.OciNetworkNamespace.PathOf(bundle) : null,
                        Dns = Network.PodDns.FromBundle(bundle),
                        Events = Events,
                        Poller = _poller,
                        LoggerFactory = _options.LoggerFactory,
                        Timeline = timeline,
                        Time = _options.Time,
                        Namespace = _options.Namespace,
                        VmFactory = _options.VmFactory,
                        HostCgroups = _options.HostCgroups ? hostCgroups : null,
                    }, cancellationToken).ConfigureAwait(false);
                    launched = true;
                }

                var container = await sandbox.CreateContainerAsync(request, bundle, membership.Kind, rootfs, guestSpec, timeline, cancellationToken).ConfigureAwait(false);
                if (launched)
                {
                    _primaryContainerId = request.Id;
                    Volatile.Write(ref _sandbox, sandbox);
                }

                LogCreated(_logger, request.Id, sandbox.Id, timeline.Format());
                return container;
            }
            catch
            {
                if (launched)
                {
                    try
                    {
                        await sandbox!.DisposeAsync().ConfigureAwait(false);
                    }
                    catch (AggregateException)
                    {
                        // Logged by the sandbox; the create's own error is the one to report.
                    }
                }

                rootfs.Release();
                throw;
            }
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    /// <summary>Deletes an exec process, or (empty exec id) a container; deleting the sandbox's own container stops the VM.</summary>
    public async Task<(GuestProcess Process, ExitResult Exit)> DeleteAsync(string containerId, string execId, CancellationToken cancellationToken)
    {
        var container = GetContainer(containerId);
        if (!string.IsNullOrEmpty(execId))
        {
            var exec = container.GetExec(execId);
            return (exec, await container.DeleteExecAsync(execId, cancellationToken).ConfigureAwait(false));
        }

        await _lifecycle.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var sandbox = Sandbox ?? throw new NotFoundException($"container {containerId} not found");
            var exit = await sandbox.DeleteContainerAsync(containerId, cancellationToken).ConfigureAwait(false);
            if (containerId == _primaryContainerId || sandbox.Containers.Count == 0)
            {
                Volatile.Write(ref _sandbox, null);
                await sandbox.DisposeAsync().ConfigureAwait(false);
            }

            return (container.Init, exit);
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    /// <summary>Stops the sandbox if one runs, then publishes what is queued.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _lifecycle.WaitAsync().ConfigureAwait(false);
        try
        {
            if (Interlocked.Exchange(ref _sandbox, null) is { } sandbox)
            {
                await sandbox.DisposeAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            _lifecycle.Release();

            // Also after a cleanup failure: the exits already queued still reach containerd.
            await Events.CompleteAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
            _poller.Dispose();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "timing create {ContainerId} in sandbox {SandboxId}: {Timeline}")]
    private static partial void LogCreated(ILogger logger, string containerId, string sandboxId, string timeline);
}
