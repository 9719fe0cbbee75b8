namespace Sealpod.Runtime.Tests.Fakes;

/// <summary>
/// A sandbox over a fake VM and agent, with real bundles, real erofs images (mkfs.erofs) and real FIFO
/// polling. Every test gets its own temporary directory, removed on dispose.
/// </summary>
internal sealed class SandboxFixture : IAsyncDisposable
{
    private readonly TempDirectory _work = new("sealpod-sandbox-");
    private readonly ErofsImageCache _images;

    private SandboxFixture()
    {
        _images = new ErofsImageCache(_work.Combine("cache"), NullLogger.Instance);
        Events = new EventQueue(Publisher, NullLogger.Instance);
    }

    public FakeAgent Agent { get; } = new();

    public FakeHypervisor Vm { get; private set; } = null!;

    public RecordingPublisher Publisher { get; } = new();

    public EventQueue Events { get; }

    public FdPoller Poller { get; } = new();

    public Sandbox Sandbox { get; private set; } = null!;

    public string Work => _work.Path;

    // The fake agent leaves signalled processes running unless a test says otherwise: a stop with containers still
    // running would wait the whole default grace (10 s) in every test that disposes a running sandbox.
    private static readonly SandboxSettings QuickStop = new() { ContainerStopTimeout = TimeSpan.FromMilliseconds(500) };

    /// <summary>A sandbox whose VM booted with the image of bundle <paramref name="firstBundle"/>'s rootfs.</summary>
    /// <param name="sandboxId">The sandbox id.</param>
    /// <param name="virtioFs">Whether the sandbox shares bind mounts over virtio-fs (a real share under the fixture's directory).</param>
    /// <param name="time">The sandbox's clock (a failing one to test what depends on it), else the system's.</param>
    /// <param name="settings">The sandbox's settings (<see cref="SandboxSettings.VirtioFs"/> is set from <paramref name="virtioFs"/>).</param>
    public static async Task<SandboxFixture> StartAsync(string sandboxId = "sbx", bool virtioFs = false, TimeProvider? time = null, SandboxSettings? settings = null)
    {
        var fixture = new SandboxFixture();
        var rootfs = await fixture.PrepareRootfsAsync(sandboxId, "busybox");
        fixture.Vm = new FakeHypervisor(new BlockDevice { Id = ImageAttachment.DeviceId(rootfs.Image!.Digest), Path = rootfs.Image!.Path });
        rootfs.Release();

        // As the real agent client does (AgentConnectOptions.VmExited): once the VM is gone, every agent call fails.
        _ = fixture.Vm.WaitForExitAsync().ContinueWith(_ => fixture.Agent.Dead.Cancel(), TaskScheduler.Default);
        var share = virtioFs ? VirtioFsShare.Create(Path.Combine(fixture._work.Path, "run", "fs")) : null;
        fixture.Sandbox = new Sandbox(sandboxId, Path.Combine(fixture._work.Path, "run"), fixture.Vm, fixture.Agent, fixture.Events, fixture.Poller,
            (settings ?? QuickStop) with { VirtioFs = virtioFs }, rootfs.Image.Digest, NullLogger.Instance, time, share: share);
        return fixture;
    }

    /// <summary>Writes a bundle (config.json from <see cref="SampleSpecs"/>) whose rootfs holds <paramref name="imageContent"/>.</summary>
    public string WriteBundle(string containerId, string imageContent, string? specJson = null)
    {
        string bundle = _work.Combine("bundles", containerId);
        Directory.CreateDirectory(Path.Combine(bundle, "rootfs", "bin"));
        File.WriteAllText(Path.Combine(bundle, "rootfs", "bin", "marker"), imageContent);
        File.SetLastWriteTimeUtc(Path.Combine(bundle, "rootfs", "bin", "marker"), new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        File.SetLastWriteTimeUtc(Path.Combine(bundle, "rootfs", "bin"), new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        File.WriteAllText(Path.Combine(bundle, "config.json"), specJson ?? SampleSpecs.Minimal());
        return bundle;
    }

    public async Task<ContainerRootfs> PrepareRootfsAsync(string containerId, string imageContent, string? specJson = null)
    {
        string bundle = WriteBundle(containerId, imageContent, specJson);
        return await ContainerRootfs.PrepareAsync(Path.Combine(bundle, "rootfs"), [], _images, NullLogger.Instance, CancellationToken.None);
    }

    public async Task<Container> CreateContainerAsync(string containerId, string imageContent = "busybox", ProcessIoPaths? io = null, string? specJson = null)
    {
        var rootfs = await PrepareRootfsAsync(containerId, imageContent, specJson);
        string bundle = _work.Combine("bundles", containerId);
        var request = new ContainerCreateRequest(containerId, bundle, [], io ?? ProcessIoPaths.None, null);
        var loaded = OciBundle.Load(bundle);
        var guestSpec = Sandbox.Settings.VirtioFs
            ? GuestContainerSpec.PrepareShared(loaded, containerId, Sandbox.Settings.DisableGuestSeccomp)
            : GuestContainerSpec.Prepare(loaded, containerId, Sandbox.Settings.DisableGuestSeccomp);
        return await Sandbox.CreateContainerAsync(request, loaded, ContainerKind.Single, rootfs, guestSpec, new StartupTimeline(), CancellationToken.None);
    }

    /// <summary>A container created as <see cref="CreateContainerAsync"/> does, with its init process started.</summary>
    public async Task<Container> StartContainerAsync(string containerId)
    {
        var container = await CreateContainerAsync(containerId);
        await container.Init.StartAsync();
        return container;
    }

    public async ValueTask DisposeAsync()
    {
        if (Sandbox is not null)
        {
            await Sandbox.DisposeAsync();
        }

        await Events.DisposeAsync();
        Poller.Dispose();
        _work.Dispose();
    }
}
