using Microsoft.Extensions.Logging;

namespace Sealpod.Agent.Tests.Images;

/// <summary>
/// The guest's distribution client, unpacker and layer store against the real docker-registry (in the test's own
/// network namespace, see <see cref="PullRegistries"/>): what a container would see after the overlay mount, the
/// errors a user reads, and that layers are fetched once and freed with their last user.
/// </summary>
[Trait(TestCategories.Name, TestCategories.Root)]
public sealed class ImagePullTests : TempDirectoryTest, IClassFixture<PullRegistries>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private readonly PullRegistries _registry;
    private readonly ListLogger _log = new();

    public ImagePullTests(PullRegistries registry) : base("sp-pull-") => _registry = registry;

    private ImageStore Store(RegistrySettings? settings = null) =>
        new(Temp.Combine("images"), new RegistryClient(new HttpMessageInvoker(_registry.Handler, disposeHandler: false), settings ?? Insecure(), _log), _log);

    /// <summary>A store whose client has the agent's own TLS trust: <paramref name="bundle"/> plus the settings' extra roots.</summary>
    private ImageStore GuestTrustStore(RegistryHttp http, RegistrySettings settings, string image) =>
        new(Temp.Combine("images"), new RegistryClient(http.For(settings.ExtraRootCertificates, image), settings, _log, http.TrustSources), _log);

    private static RegistrySettings Insecure(Dictionary<string, RegistryCredentials>? credentials = null) => new()
    {
        InsecureRegistries = new HashSet<string>(["127.0.0.1:5000", "127.0.0.1:5001", "127.0.0.1:5009", "127.0.0.1:5010"]),
        Credentials = credentials ?? [],
    };

    [Fact]
    public async Task IndexIsResolvedToAmd64AndTheOverlayShowsTheTopLayerWithWhiteoutsApplied()
    {
        var store = Store();
        var image = await store.PullAsync("127.0.0.1:5000/test/busybox:multi", Timeout, CancellationToken.None);

        Assert.Equal(_registry.ManifestDigest, image.ManifestDigest.ToString());
        Assert.Contains(_log.Lines, l => l.Contains(_registry.ManifestDigest, StringComparison.Ordinal) && l.Contains("test/busybox:multi", StringComparison.Ordinal));
        Assert.Equal(2, image.LayerDirectories.Count);

        var rootfs = Temp.Combine("rootfs");
        var upper = Temp.Combine("upper");
        var work = Temp.Combine("work");
        foreach (var dir in (string[])[rootfs, upper, work])
        {
            Directory.CreateDirectory(dir);
        }

        Assert.Equal(0, LibC.Mount("overlay", rootfs, "overlay", 0, $"lowerdir={image.LowerDirs},upperdir={upper},workdir={work}"));
        try
        {
            Assert.Equal("v2\n", File.ReadAllText(Path.Combine(rootfs, "hello.txt")));
            Assert.False(File.Exists(Path.Combine(rootfs, "etc/removed")), "the whiteout hides etc/removed");
            Assert.True(Directory.Exists(Path.Combine(rootfs, "etc")));
            Assert.Equal(["new"], Directory.GetFileSystemEntries(Path.Combine(rootfs, "dir/opq")).Select(Path.GetFileName));
            Assert.Equal(_registry.BusyboxSha256, Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(rootfs, "bin/busybox")))));
            Assert.Equal("busybox", new FileInfo(Path.Combine(rootfs, "bin/sh")).LinkTarget);
            Assert.Equal((UnixFileMode)0b111_101_101, File.GetUnixFileMode(Path.Combine(rootfs, "bin/busybox")));
        }
        finally
        {
            LibC.Umount2(rootfs, 0);
        }

        store.Release(image);
        Assert.Empty(Directory.GetFileSystemEntries(Temp.Combine("images", "layers")));
        Assert.Empty(Directory.GetFileSystemEntries(Temp.Combine("images", "blobs")));
    }

    [Fact]
    public async Task LayersSharedByImagesArePulledOnceAndFreedWithTheirLastUser()
    {
        var store = Store();
        var first = await store.PullAsync("127.0.0.1:5000/test/busybox:1", Timeout, CancellationToken.None);
        var second = await store.PullAsync("127.0.0.1:5000/test/other:1", Timeout, CancellationToken.None);
        var third = await store.PullAsync($"127.0.0.1:5000/test/busybox@{_registry.ManifestDigest}", Timeout, CancellationToken.None);

        Assert.Equal(2, store.Downloads);
        Assert.Equal(first.LayerDirectories, second.LayerDirectories);
        Assert.Equal(first.LayerDirectories, third.LayerDirectories);
        store.Release(first);
        store.Release(second);
        Assert.All(third.LayerDirectories, d => Assert.True(Directory.Exists(d)));
        store.Release(third);
        Assert.Empty(Directory.GetFileSystemEntries(Temp.Combine("images", "layers")));
    }

    [Fact]
    public async Task TamperedLayerFailsNamingBothDigestsAndLeavesNothing()
    {
        var store = Store();
        var error = await Assert.ThrowsAsync<ImagePullException>(() => store.PullAsync("127.0.0.1:5000/test/tampered:1", Timeout, CancellationToken.None));

        Assert.Contains("127.0.0.1:5000/test/tampered:1", error.Message, StringComparison.Ordinal);
        Assert.Contains($"expected {_registry.TamperedLayerDigest}", error.Message, StringComparison.Ordinal);
        Assert.Matches("content with digest sha256:[0-9a-f]{64}", error.Message);
        Assert.DoesNotContain($"digest {_registry.TamperedLayerDigest}", error.Message.Replace($"expected {_registry.TamperedLayerDigest}", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(Temp.Combine("images", "blobs")));
        Assert.False(Directory.Exists(Temp.Combine("images", "layers")) && Directory.GetFileSystemEntries(Temp.Combine("images", "layers")).Length > 0);
    }

    [Fact]
    public async Task PrivateImagePullsWithCredentialsAndIsRefusedWithoutOrWithWrongOnes()
    {
        var anonymous = await Assert.ThrowsAsync<ImagePullException>(() => Store().PullAsync("127.0.0.1:5001/private/app:1", Timeout, CancellationToken.None));
        Assert.Contains("127.0.0.1:5001/private/app:1", anonymous.Message, StringComparison.Ordinal);
        Assert.Contains("401", anonymous.Message, StringComparison.Ordinal);
        Assert.Contains("no credentials", anonymous.Message, StringComparison.Ordinal);

        var wrong = await Assert.ThrowsAsync<ImagePullException>(() => Store(Insecure(new() { ["127.0.0.1:5001"] = new(RegistryHarness.User, "wrong") }))
            .PullAsync("127.0.0.1:5001/private/app:1", Timeout, CancellationToken.None));
        Assert.Contains("refused the configured credentials", wrong.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong", wrong.Message, StringComparison.Ordinal);

        // The credentials arrive as image-rs reads them: a containers-auth.json.
        var auth = RegistrySettings.ParseAuthFile(
            $"{{\"auths\":{{\"127.0.0.1:5001\":{{\"auth\":\"{Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{RegistryHarness.User}:{RegistryHarness.Password}"))}\"}}}}}}", "auth.json");
        var store = Store(Insecure(auth));
        var image = await store.PullAsync("127.0.0.1:5001/private/app:1", Timeout, CancellationToken.None);
        Assert.Equal(_registry.ManifestDigest, image.ManifestDigest.ToString());
        store.Release(image);
    }

    [Fact]
    public async Task MissingTagNamesTheTag()
    {
        var error = await Assert.ThrowsAsync<ImagePullException>(() => Store().PullAsync("127.0.0.1:5000/test/busybox:nope", Timeout, CancellationToken.None));
        Assert.Equal("pulling image 127.0.0.1:5000/test/busybox:nope in the guest: tag 'nope' not found in 127.0.0.1:5000/test/busybox (404 manifest unknown)", error.Message);
    }

    [Fact]
    public async Task UnreachableRegistryIsNamed()
    {
        var error = await Assert.ThrowsAsync<ImagePullException>(() => Store().PullAsync("127.0.0.1:5009/test/busybox:1", Timeout, CancellationToken.None));
        Assert.StartsWith("pulling image 127.0.0.1:5009/test/busybox:1 in the guest: registry 127.0.0.1:5009 unreachable (http://127.0.0.1:5009)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RegistryThatNeverAnswersTimesOut()
    {
        using var silent = await _registry.Harness.ListenSilentlyAsync(5010);
        var error = await Assert.ThrowsAsync<ImagePullException>(() => Store().PullAsync("127.0.0.1:5010/test/busybox:1", TimeSpan.FromSeconds(1), CancellationToken.None));
        Assert.Equal("pulling image 127.0.0.1:5010/test/busybox:1 in the guest: timed out after 1 s (agent.image_pull_timeout)", error.Message);
    }

    [Fact]
    public async Task PlainHttpOnlyForRegistriesMarkedInsecure()
    {
        // Without the insecure mark the client speaks TLS to the plain-HTTP registry, which fails.
        var error = await Assert.ThrowsAsync<ImagePullException>(() => Store(RegistrySettings.Empty).PullAsync("127.0.0.1:5000/test/busybox:1", Timeout, CancellationToken.None));
        Assert.Contains("(https://127.0.0.1:5000)", error.Message, StringComparison.Ordinal);

        var insecure = RegistrySettings.ParseRegistriesConf("[[registry]]\nlocation = \"127.0.0.1:5000\"\ninsecure = true\n", "registries.conf");
        Assert.Equal(["127.0.0.1:5000"], insecure);
    }

    [Fact]
    public async Task TokenAuthOverHttpsPullsWithCredentialsAndIsRefusedWithoutOrWithWrongOnes()
    {
        // The registry is docker-registry with auth: token (it validates the JWTs); the issuer is the test's own.
        var image = $"{PullRegistries.Token}/private/app:1";
        using var http = new RegistryHttp(Temp.Combine("no-bundle.crt"), _registry.Harness.ConnectAsync);
        var trusted = new RegistrySettings { ExtraRootCertificates = [_registry.Harness.Authority.CertificatePem] };
        var issued = _registry.Harness.Tokens.Issued;

        var anonymous = await Assert.ThrowsAsync<ImagePullException>(() => GuestTrustStore(http, trusted, image).PullAsync(image, Timeout, CancellationToken.None));
        Assert.Equal($"pulling image {image} in the guest: registry {PullRegistries.Token} requires authentication (401 from its token service) and Init-Data configures no credentials for it", anonymous.Message);

        var wrong = await Assert.ThrowsAsync<ImagePullException>(() => GuestTrustStore(http, trusted with { Credentials = new Dictionary<string, RegistryCredentials> { [PullRegistries.Token] = new(RegistryHarness.User, "wrong") } }, image)
            .PullAsync(image, Timeout, CancellationToken.None));
        Assert.Contains("refused the configured credentials (401 from its token service)", wrong.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong", wrong.Message, StringComparison.Ordinal);
        Assert.Equal(issued, _registry.Harness.Tokens.Issued);

        var store = GuestTrustStore(http, trusted with { Credentials = new Dictionary<string, RegistryCredentials> { [PullRegistries.Token] = new(RegistryHarness.User, RegistryHarness.Password) } }, image);
        var pulled = await store.PullAsync(image, Timeout, CancellationToken.None);
        Assert.Equal(_registry.ManifestDigest, pulled.ManifestDigest.ToString());
        Assert.True(_registry.Harness.Tokens.Issued > issued, "the pull went through the token issuer");
        store.Release(pulled);
    }

    [Fact]
    public async Task HttpsTrustsTheGuestBundleAndInitDataRootsAndNothingElse()
    {
        var image = $"{PullRegistries.Tls}/test/busybox:1";

        // The host's system bundle does not hold the fixture's CA: the handshake fails, naming where trust comes from.
        using (var system = new RegistryHttp("/etc/ssl/certs/ca-certificates.crt", _registry.Harness.ConnectAsync))
        {
            var untrusted = await Assert.ThrowsAsync<ImagePullException>(() => GuestTrustStore(system, RegistrySettings.Empty, image).PullAsync(image, Timeout, CancellationToken.None));
            Assert.StartsWith($"pulling image {image} in the guest: registry {PullRegistries.Tls}: TLS handshake failed (https://{PullRegistries.Tls})", untrusted.Message, StringComparison.Ordinal);
            Assert.Contains("extra_root_certificates", untrusted.Message, StringComparison.Ordinal);
        }

        // The CA in the guest image's bundle (GUEST_EXTRA_CA) ...
        var bundle = Temp.Write("bundle.crt", _registry.Harness.Authority.CertificatePem);
        using (var guestImage = new RegistryHttp(bundle, _registry.Harness.ConnectAsync))
        {
            var store = GuestTrustStore(guestImage, RegistrySettings.Empty, image);
            store.Release(await store.PullAsync(image, Timeout, CancellationToken.None));
        }

        // ... or in Init-Data's extra_root_certificates.
        using (var initData = new RegistryHttp(Temp.Combine("no-bundle.crt"), _registry.Harness.ConnectAsync))
        {
            var store = GuestTrustStore(initData, new RegistrySettings { ExtraRootCertificates = [_registry.Harness.Authority.CertificatePem] }, image);
            var pulled = await store.PullAsync(image, Timeout, CancellationToken.None);
            Assert.Equal(_registry.ManifestDigest, pulled.ManifestDigest.ToString());
            store.Release(pulled);

            var bad = Assert.Throws<ImagePullException>(() => initData.For(["not a certificate"], image));
            Assert.Contains("extra_root_certificates[0] holds no PEM certificate", bad.Message, StringComparison.Ordinal);
        }
    }
}
