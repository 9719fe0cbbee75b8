namespace Sealpod.Agent.Tests.Images;

/// <summary>
/// Kata's image_guest_pull storage through the agent's StorageManager, with registry credentials and the insecure
/// registry list from Init-Data's cdh.toml (file:/// URIs, as image-rs reads them), against the real docker-registry.
/// </summary>
[Trait(TestCategories.Name, TestCategories.Root)]
public sealed class GuestPullStorageTests : TempDirectoryTest, IClassFixture<PullRegistries>
{
    private const string Metadata = "image_guest_pull={\"metadata\":{\"io.kubernetes.cri.container-type\":\"container\",\"io.kubernetes.cri.image-name\":\"127.0.0.1:5001/private/app:1\"}}";
    private readonly PullRegistries _registry;
    private readonly ListLogger _log = new();

    public GuestPullStorageTests(PullRegistries registry) : base("sp-gpull-") => _registry = registry;

    private AgentOptions Options(bool withCredentials) 
    {
        var initData = Temp.Combine("initdata");
        Directory.CreateDirectory(initData);
        var auth = Temp.Write("auth.json", $"{{\"auths\":{{\"127.0.0.1:5001\":{{\"auth\":\"{Convert.ToBase64String(Encoding.UTF8.GetBytes($"{RegistryHarness.User}:{RegistryHarness.Password}"))}\"}}}}}}");
        var registries = Temp.Write("registries.conf", "[[registry]]\nlocation = \"127.0.0.1:5001\"\ninsecure = true\n");
        File.WriteAllText(Path.Combine(initData, "cdh.toml"),
            "socket = \"unix:///run/confidential-containers/cdh.sock\"\n[kbc]\nname = \"offline_fs_kbc\"\n[image]\n"
            + (withCredentials ? $"authenticated_registry_credentials_uri = \"file://{auth}\"\n" : "")
            + $"registry_configuration_uri = \"file://{registries}\"\n");
        var pause = Temp.Combine("pause_bundle", "rootfs");
        Directory.CreateDirectory(pause);
        File.WriteAllText(Path.Combine(pause, "pause"), "pause program");
        return new AgentOptions { StorageRoot = Temp.Combine("storage"), InitDataDirectory = initData, PauseRootfs = pause, ImagePullTimeout = TimeSpan.FromSeconds(60) };
    }

    private StorageManager Manager(AgentOptions options, out GuestPullStorage guestPull)
    {
        guestPull = new GuestPullStorage(options, _log, new RegistryHttp(options.CaBundle, _registry.Harness.ConnectAsync));
        return new StorageManager(options, new BlockDeviceResolver("/sys"), TimeProvider.System, _log, guestPull);
    }

    private static StorageSpec Spec(string source, string mountPoint) => new()
    {
        Driver = "image_guest_pull",
        Source = source,
        FileSystemType = "overlay",
        DriverOptions = [Metadata],
        MountPoint = mountPoint,
    };

    [Fact]
    public async Task TwoContainersOfAPodShareOnePullAndRemovalFreesEverything()
    {
        var options = Options(withCredentials: true);
        var storage = Manager(options, out var guestPull);
        var first = await storage.MountAsync(Spec("127.0.0.1:5001/private/app:1", Temp.Combine("c1", "rootfs")), CancellationToken.None);
        var second = await storage.MountAsync(Spec("127.0.0.1:5001/private/app:1", Temp.Combine("c2", "rootfs")), CancellationToken.None);
        try
        {
            Assert.Equal("v2\n", File.ReadAllText(Path.Combine(first.MountPoint, "hello.txt")));
            File.WriteAllText(Path.Combine(first.MountPoint, "hello.txt"), "changed by c1\n");
            Assert.Equal("v2\n", File.ReadAllText(Path.Combine(second.MountPoint, "hello.txt")));
            Assert.Equal(2, guestPull.Store.Downloads);
            Assert.Contains(_log.Lines, l => l.Contains(_registry.ManifestDigest, StringComparison.Ordinal));
        }
        finally
        {
            storage.Release(first);
            storage.Release(second);
        }

        Assert.False(Directory.Exists(first.MountPoint));
        Assert.Empty(Directory.GetFileSystemEntries(Path.Combine(options.StorageRoot, "images", "layers")));
        Assert.Empty(Directory.GetFileSystemEntries(Path.Combine(options.StorageRoot, "overlay")));
    }

    [Fact]
    public async Task WithoutInitDataCredentialsThePrivateImageIsRefused()
    {
        var storage = Manager(Options(withCredentials: false), out _);
        var error = await Assert.ThrowsAsync<ImagePullException>(() => storage.MountAsync(Spec("127.0.0.1:5001/private/app:1", Temp.Combine("c1", "rootfs")), CancellationToken.None));
        Assert.Contains("127.0.0.1:5001/private/app:1", error.Message, StringComparison.Ordinal);
        Assert.Contains("401", error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Temp.Combine("c1", "rootfs")) && Directory.GetFileSystemEntries(Temp.Combine("c1", "rootfs")).Length > 0);
    }

    [Fact]
    public async Task PauseComesFromTheGuestImage()
    {
        var options = Options(withCredentials: false);
        var storage = Manager(options, out var guestPull);
        var pause = await storage.MountAsync(Spec("pause", Temp.Combine("sandbox", "rootfs")), CancellationToken.None);
        try
        {
            Assert.Equal("pause program", File.ReadAllText(Path.Combine(pause.MountPoint, "pause")));
            Assert.Equal(0, guestPull.Store.Downloads);
        }
        finally
        {
            storage.Release(pause);
        }
    }

    [Fact]
    public async Task MissingDriverOptionIsNamed()
    {
        var storage = Manager(Options(withCredentials: false), out _);
        var error = await Assert.ThrowsAsync<Errors.InvalidArgumentException>(() => storage.MountAsync(Spec("pause", Temp.Combine("x")) with { DriverOptions = [] }, CancellationToken.None));
        Assert.Contains("image_guest_pull={\"metadata\"", error.Message, StringComparison.Ordinal);
    }
    [Fact]
    public async Task InitDataCarriesTheRegistryCaAndTokenCredentialsForAnHttpsPull()
    {
        // As a CoCo user writes it: cdh.toml's [image] names the credentials file and carries the private registry's CA.
        var options = Options(withCredentials: false);
        var auth = Temp.Write("token-auth.json", $"{{\"auths\":{{\"{PullRegistries.Token}\":{{\"auth\":\"{Convert.ToBase64String(Encoding.UTF8.GetBytes($"{RegistryHarness.User}:{RegistryHarness.Password}"))}\"}}}}}}");
        File.WriteAllText(Path.Combine(options.InitDataDirectory, "cdh.toml"),
            $"[image]\nauthenticated_registry_credentials_uri = \"file://{auth}\"\nextra_root_certificates = [\n'''\n{_registry.Harness.Authority.CertificatePem}''',\n]\n");
        var storage = Manager(options, out _);
        var mounted = await storage.MountAsync(Spec($"{PullRegistries.Token}/private/app:1", Temp.Combine("c1", "rootfs")), CancellationToken.None);
        try
        {
            Assert.Equal("v2\n", File.ReadAllText(Path.Combine(mounted.MountPoint, "hello.txt")));
            Assert.Contains(_log.Lines, l => l.Contains(_registry.ManifestDigest, StringComparison.Ordinal) && l.Contains(PullRegistries.Token, StringComparison.Ordinal));
        }
        finally
        {
            storage.Release(mounted);
        }

        // The same Init-Data without the CA: the guest does not trust the registry (the host's bundle is not the guest's).
        File.WriteAllText(Path.Combine(options.InitDataDirectory, "cdh.toml"), $"[image]\nauthenticated_registry_credentials_uri = \"file://{auth}\"\n");
        var error = await Assert.ThrowsAsync<ImagePullException>(() => storage.MountAsync(Spec($"{PullRegistries.Token}/private/app:1", Temp.Combine("c2", "rootfs")), CancellationToken.None));
        Assert.Contains("TLS handshake failed", error.Message, StringComparison.Ordinal);
    }
}
