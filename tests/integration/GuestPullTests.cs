using Grpc.Core;
using Sealpod.CriHarness.V1;
using Sealpod.TestSupport.Registry;

namespace Sealpod.IntegrationTests;

/// <summary>
/// Issue 13 end to end: a sealpod pod through containerd's CRI with <c>experimental_force_guest_pull = true</c>, so the
/// shim asks the guest agent to pull every image (Kata's image_guest_pull storage; the sandbox's rootfs is the guest
/// image's pause bundle). Debian's docker-registry runs in the harness's network namespace listening on every address,
/// so the VM reaches it over the pod network at the CNI bridge's address; Init-Data's cdh.toml marks it insecure
/// (plain HTTP); containerd reaches the same registry on loopback (a CRI mirror). One VM boot per case; a second
/// container whose registry layer was tampered with after the host's pull must fail CreateContainer naming both digests.
/// The registries are TestSupport's <see cref="RegistryHarness"/> in the harness's namespace; the private ones speak
/// HTTPS with a certificate of the fixture's own test CA and authenticate with tokens from the harness's test token
/// issuer (our own component: no authorization server runs here), which the real docker-registry validates.
/// </summary>
[Trait(TestCategories.Name, TestCategories.Root)]
[Trait(TestCategories.Name, TestCategories.Vm)]
public sealed class GuestPullTests : IAsyncLifetime
{

    /// <summary>The private registry (HTTPS, token auth) whose credentials Init-Data carries, and one it carries none for.</summary>
    private static readonly string PrivateRegistry = CniNetworkConfig.Gateway + ":5443";
    private static readonly string UnauthorizedRegistry = CniNetworkConfig.Gateway + ":5445";

    /// <summary>An open plain-HTTP twin of the private registries' storage: containerd's host-side pull goes through it.</summary>
    private const string PrivateTwin = "127.0.0.1:5444";

    private readonly TempDirectory _work = new("sp-gpull-");
    private SnapshotterProcess? _snapshotter;
    private CriContainerd? _containerd;
    private RegistryHarness? _registries;
    private RunningRegistry? _registry;

    private CriContainerd Containerd => _containerd ?? throw new InvalidOperationException("containerd did not start");

    private PodRunner Pods => new(Containerd);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_registries is not null)
        {
            await _registries.DisposeAsync();
        }

        if (_containerd is not null)
        {
            string network = _containerd.Network.Path;
            await _containerd.DisposeAsync();
            Assert.False(File.Exists(network), $"{network} survived");
        }

        if (_snapshotter is not null)
        {
            await _snapshotter.DisposeAsync();
        }

        _work.Dispose();
    }

    /// <param name="snapshotter">
    /// false: containerd's overlayfs and <c>experimental_force_guest_pull = true</c> (Kata's double pull: CRI pulls the
    /// image on the host too). true: the Sealpod snapshotter as CRI's snapshotter and force pull off: the rootfs mount's
    /// image_guest_pull volume asks for the guest pull, and the host never holds a layer; the sandbox image then comes
    /// from the registry as well (CRI pulls it through the snapshotter), and the guest runs its own pause bundle for it.
    /// </param>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_pod_runs_an_image_the_guest_pulled_and_a_tampered_layer_fails_the_container_naming_both_digests(bool snapshotter)
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(8));
        var good = await OciLayoutImage.WriteAsync(_work.Combine("good"), "1", cancel.Token, runnable: true);
        var tampered = await OciLayoutImage.WriteAsync(_work.Combine("tampered"), "1", cancel.Token, runnable: true);
        var pause = await OciLayoutImage.WriteAsync(_work.Combine("pause"), "1", cancel.Token, runnable: true);
        await StartAsync(snapshotter, pause, cancel.Token);
        string goodRef = await PushAsync(good, "sealpod/guest-pull", cancel.Token);
        string tamperedRef = await PushAsync(tampered, "sealpod/tampered", cancel.Token);

        string logs = Directory.CreateDirectory(Path.Combine(Containerd.Root, "pod-logs", "gpull")).FullName;
        var pod = PodConfigs.Pod("gpull", logs, Containerd.Cgroups);
        pod.Annotations[GuestPullInitData.Annotation] = GuestPullInitData.ForInsecureRegistry(PodRegistry.Bridge);
        PodCgroups.Create(pod.Linux.CgroupParent);
        string sandbox = await Pods.RunPodSandboxAsync(pod, CriHandlers.Sealpod, cancel.Token);

        // CRI needs the images locally (their index, manifest and config at least) before CreateContainer.
        foreach (string reference in new[] { goodRef, tamperedRef })
        {
            await Containerd.Images.PullImageAsync(new PullImageRequest { Image = new ImageSpec { Image = reference } }, CriContainerd.Deadline(TimeSpan.FromSeconds(120), cancel.Token));
        }

        var created = await Containerd.Runtime.CreateContainerAsync(
            new CreateContainerRequest { PodSandboxId = sandbox, Config = Container("good", goodRef), SandboxConfig = pod }, CriContainerd.Deadline(PodRunner.CallTimeout, cancel.Token));
        await Containerd.Runtime.StartContainerAsync(new StartContainerRequest { ContainerId = created.ContainerId }, CriContainerd.Deadline(PodRunner.CallTimeout, cancel.Token));

        // The container runs the image's own busybox and file, in the VM (the guest's kernel, not the host's).
        var content = await Pods.ExecAsync(created.ContainerId, ["/bin/busybox", "cat", "/" + good.FileName], cancel.Token);
        Assert.Equal((good.Content, string.Empty, 0), content);
        var release = await Pods.ExecAsync(created.ContainerId, ["/bin/busybox", "uname", "-r"], cancel.Token);
        Assert.NotEqual((await Tool.RunAsync("uname", ["-r"], cancel.Token)).Stdout.Trim(), release.Stdout.Trim());

        // The guest agent logged the manifest it pulled, on the guest console.
        string console = Path.Combine(Containerd.SealpodRunDirectory, "sandboxes", sandbox, "console.log");
        string consoleText = await File.ReadAllTextAsync(console, cancel.Token);
        Assert.Contains($"image {goodRef}: manifest {good.ManifestDigest}", consoleText, StringComparison.Ordinal);

        if (snapshotter)
        {
            // Nothing of any layer reached the host: not in the content store, not unpacked anywhere under containerd.
            var blobs = Directory.EnumerateFiles(Path.Combine(Containerd.RootDirectory, "io.containerd.content.v1.content", "blobs", "sha256")).Select(Path.GetFileName).ToList();
            Assert.Contains(good.ManifestDigest[7..], blobs);
            Assert.All(new[] { good, tampered, pause }, image => Assert.DoesNotContain(image.LayerDigest[7..], blobs));
            Assert.Empty(Directory.EnumerateFiles(Containerd.Root, good.FileName, new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = 0 }));
        }

        // The registry now serves a layer whose bytes are not its digest: the guest must refuse it.
        string blob = _registry!.BlobFile(tampered.LayerDigest);
        byte[] bytes = await File.ReadAllBytesAsync(blob, cancel.Token);
        bytes[^1] ^= 0xff;
        await File.WriteAllBytesAsync(blob, bytes, cancel.Token);
        string actual = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes));
        // containerd 1.6's CRI CreateContainer only records the container; the shim's Create, where the agent pulls,
        // runs at StartContainer (containerd's NewTask), so that is the CRI call that fails.
        var refused = await Containerd.Runtime.CreateContainerAsync(
            new CreateContainerRequest { PodSandboxId = sandbox, Config = Container("tampered", tamperedRef), SandboxConfig = pod }, CriContainerd.Deadline(PodRunner.CallTimeout, cancel.Token));
        var error = await Assert.ThrowsAsync<RpcException>(() => Containerd.Runtime.StartContainerAsync(
            new StartContainerRequest { ContainerId = refused.ContainerId }, CriContainerd.Deadline(PodRunner.CallTimeout, cancel.Token)).ResponseAsync);
        Assert.Contains(tamperedRef, error.Status.Detail, StringComparison.Ordinal);
        Assert.Contains(tampered.LayerDigest, error.Status.Detail, StringComparison.Ordinal);
        Assert.Contains(actual, error.Status.Detail, StringComparison.Ordinal);

        await Pods.RemoveAsync(sandbox, times: 2, cancel.Token);
        var containers = await Containerd.Runtime.ListContainersAsync(new ListContainersRequest(), CriContainerd.Deadline(TimeSpan.FromSeconds(30), cancel.Token));
        Assert.Empty(containers.Containers);
        await Containerd.AssertNothingLeftAsync([sandbox], cancel.Token);
    }

    /// <summary>
    /// One pod, one VM, several assertions: its Init-Data carries the private registry's CA (cdh.toml [image]
    /// extra_root_certificates) and credentials (registry-auth.json, named by authenticated_registry_credentials_uri).
    /// Two containers of the image pull over HTTPS with a token: the registry's access log shows the layer fetched
    /// once. A third container from a registry Init-Data holds no credentials for is refused, naming image and cause.
    /// </summary>
    [Fact]
    public async Task A_private_image_pulls_over_https_with_init_data_credentials_once_for_two_containers_and_without_credentials_is_refused()
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(8));
        var image = await OciLayoutImage.WriteAsync(_work.Combine("private"), "1", cancel.Token, runnable: true);
        // An image of its own: CRI 1.6 names a container's image by the first of the image's references, so the same
        // image under the other registry's name would reach the guest as the private registry's.
        var other = await OciLayoutImage.WriteAsync(_work.Combine("other"), "1", cancel.Token, runnable: true);
        var pause = await OciLayoutImage.WriteAsync(_work.Combine("pause"), "1", cancel.Token, runnable: true);
        await StartAsync(false, pause, cancel.Token, new Dictionary<string, string> { [PrivateRegistry] = PrivateTwin, [UnauthorizedRegistry] = PrivateTwin });
        var registries = _registries!;
        var twin = await registries.StartAsync(new RegistryOptions { Listen = PrivateTwin }, cancel.Token);
        var secure = await registries.StartAsync(new RegistryOptions { Listen = "0.0.0.0:5443", Tls = true, Auth = RegistryAuth.Token, StorageDirectory = twin.StorageDirectory }, cancel.Token, realmHost: CniNetworkConfig.Gateway);
        await registries.StartAsync(new RegistryOptions { Listen = "0.0.0.0:5445", Tls = true, Auth = RegistryAuth.Token, StorageDirectory = twin.StorageDirectory }, cancel.Token, realmHost: CniNetworkConfig.Gateway);
        await registries.PushAsync(image.Source, twin, "private/app:1", cancel.Token);
        await registries.PushAsync(other.Source, twin, "private/other:1", cancel.Token);
        string privateRef = PrivateRegistry + "/private/app:1";
        string refusedRef = UnauthorizedRegistry + "/private/other:1";

        string logs = Directory.CreateDirectory(Path.Combine(Containerd.Root, "pod-logs", "gpriv")).FullName;
        var pod = PodConfigs.Pod("gpriv", logs, Containerd.Cgroups);
        pod.Annotations[GuestPullInitData.Annotation] = GuestPullInitData.Encode(PrivateInitData(registries.Authority.CertificatePem));
        PodCgroups.Create(pod.Linux.CgroupParent);
        string sandbox = await Pods.RunPodSandboxAsync(pod, CriHandlers.Sealpod, cancel.Token);
        foreach (string reference in new[] { privateRef, refusedRef })
        {
            await Containerd.Images.PullImageAsync(new PullImageRequest { Image = new ImageSpec { Image = reference } }, CriContainerd.Deadline(TimeSpan.FromSeconds(120), cancel.Token));
        }

        int issued = registries.Tokens.Issued;
        var containers = new List<string>();
        foreach (string name in new[] { "first", "second" })
        {
            var created = await Containerd.Runtime.CreateContainerAsync(
                new CreateContainerRequest { PodSandboxId = sandbox, Config = Container(name, privateRef), SandboxConfig = pod }, CriContainerd.Deadline(PodRunner.CallTimeout, cancel.Token));
            await Containerd.Runtime.StartContainerAsync(new StartContainerRequest { ContainerId = created.ContainerId }, CriContainerd.Deadline(PodRunner.CallTimeout, cancel.Token));
            containers.Add(created.ContainerId);
        }

        foreach (string container in containers)
        {
            Assert.Equal((image.Content, string.Empty, 0), await Pods.ExecAsync(container, ["/bin/busybox", "cat", "/" + image.FileName], cancel.Token));
        }

        // The guest fetched the layer once for both containers, over HTTPS from the token-auth registry (the host's
        // pull went to the twin, whose log is its own), after the token issuer granted it a token.
        Assert.Equal(1, secure.CountGets($"/v2/private/app/blobs/{image.LayerDigest}"));
        Assert.True(registries.Tokens.Issued > issued, "the guest authenticated through the token issuer");
        string console = await File.ReadAllTextAsync(Path.Combine(Containerd.SealpodRunDirectory, "sandboxes", sandbox, "console.log"), cancel.Token);
        Assert.Contains($"image {privateRef}: manifest {image.ManifestDigest}", console, StringComparison.Ordinal);
        Assert.DoesNotContain(RegistryHarness.Password, console, StringComparison.Ordinal);

        // Init-Data holds no credentials for the other registry: the token issuer refuses, the CRI error says so.
        var refused = await Containerd.Runtime.CreateContainerAsync(
            new CreateContainerRequest { PodSandboxId = sandbox, Config = Container("refused", refusedRef), SandboxConfig = pod }, CriContainerd.Deadline(PodRunner.CallTimeout, cancel.Token));
        var error = await Assert.ThrowsAsync<RpcException>(() => Containerd.Runtime.StartContainerAsync(
            new StartContainerRequest { ContainerId = refused.ContainerId }, CriContainerd.Deadline(PodRunner.CallTimeout, cancel.Token)).ResponseAsync);
        Assert.Contains(refusedRef, error.Status.Detail, StringComparison.Ordinal);
        Assert.Contains("requires authentication (401 from its token service) and Init-Data configures no credentials", error.Status.Detail, StringComparison.Ordinal);

        await Pods.RemoveAsync(sandbox, times: 2, cancel.Token);
        await Containerd.AssertNothingLeftAsync([sandbox], cancel.Token);
    }

    private async Task StartAsync(bool snapshotter, OciLayoutImage pause, CancellationToken cancellationToken, IReadOnlyDictionary<string, string>? mirrors = null)
    {
        var paths = CriHarnessPaths.FromSourceTree(AppContext.BaseDirectory) with { ShimBinary = ShimUnderTest.Binary, GuestDirectory = Repository.GuestDirectory };
        string? socket = null;
        if (snapshotter)
        {
            _snapshotter = await SnapshotterProcess.StartAsync(paths.SnapshotterBinary, _work.Path, cancellationToken);
            socket = _snapshotter.Socket;
        }

        _containerd = await CriContainerd.StartAsync(paths, config => config with
        {
            SnapshotterAddress = socket,
            PlainHttpRegistry = PodRegistry.Bridge,
            PlainHttpRegistryEndpoint = PodRegistry.Loopback,
            PlainHttpMirrors = mirrors ?? new Dictionary<string, string>(),
            SandboxImage = snapshotter ? PodRegistry.Bridge + "/sealpod/pause:1" : config.SandboxImage,
        });
        _registries = await RegistryHarness.CreateAsync(SystemProcessRunner.Instance, Containerd.Network.Path, [CniNetworkConfig.Gateway], cancellationToken);
        _registry = await _registries.StartAsync(new RegistryOptions { Listen = PodRegistry.Listen }, cancellationToken);
        if (snapshotter)
        {
            await PushAsync(pause, "sealpod/pause", cancellationToken);
        }
        else
        {
            await Containerd.ForceGuestPullAsync(cancellationToken);
        }
    }

    /// <summary>Pushes over loopback; returns the reference the guest (and containerd, through its mirror) pulls.</summary>
    private async Task<string> PushAsync(OciLayoutImage image, string repository, CancellationToken cancellationToken) =>
        PodRegistry.AsPodsNameIt(await _registries!.PushAsync(image.Source, _registry!, $"{repository}:{image.Tag}", cancellationToken));

    private static ContainerConfig Container(string name, string image) => new()
    {
        Metadata = new ContainerMetadata { Name = name },
        Image = new ImageSpec { Image = image },
        LogPath = name + ".log",
        Linux = new LinuxContainerConfig { SecurityContext = new LinuxContainerSecurityContext { NamespaceOptions = new NamespaceOption { Network = NamespaceMode.Pod, Pid = NamespaceMode.Container, Ipc = NamespaceMode.Pod } } },
    };

    /// <summary>
    /// <see cref="GuestPullInitData.Document"/> with what a CoCo user adds for a private registry: its CA in cdh.toml's [image]
    /// extra_root_certificates (a TOML basic string: the document wraps cdh.toml in a literal one) and a
    /// containers-auth.json in Sealpod's registry-auth.json entry, named by authenticated_registry_credentials_uri.
    /// </summary>
    private static byte[] PrivateInitData(string caPem)
    {
        string auth = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{RegistryHarness.User}:{RegistryHarness.Password}"));
        string authJson = "{\"auths\": {\"" + PrivateRegistry + "\": {\"auth\": \"" + auth + "\"}}}";
        return GuestPullInitData.Document(
            PodRegistry.Bridge,
            $$""""
            authenticated_registry_credentials_uri = "file:///run/confidential-containers/initdata/registry-auth.json"
            extra_root_certificates = ["""
            {{caPem.Trim()}}
            """]
            """",
            $$"""
            "registry-auth.json" = '''
            {{authJson}}
            '''
            """);
    }
}
