using System.Text.Json;
using Sealpod.CriHarness.V1;
using Sealpod.TestSupport.Registry;

namespace Sealpod.IntegrationTests;

/// <summary>
/// The Sealpod snapshotter as containerd 1.6 uses it: the built sealpod-snapshotter (Kestrel, gRPC on a unix socket)
/// registered as the proxy plugin "sealpod" and CRI's snapshotter with the remote-snapshotter labels on,
/// Debian's docker-registry inside the harness's network namespace holding an image pushed with skopeo, CRI's
/// PullImage. The host must end up with the image's index/manifest/config only: no layer blob in containerd's content
/// store, no unpacked file anywhere under containerd's or the snapshotter's root; a container snapshot prepared
/// through containerd mounts with Kata's image_guest_pull volume. No VM: the shim's side is tested elsewhere.
/// </summary>
[Trait(TestCategories.Name, TestCategories.Root)]
public sealed class SnapshotterTests : IAsyncLifetime
{

    private readonly TempDirectory _work = new("sp-snap-");
    private SnapshotterProcess? _snapshotter;
    private CriContainerd? _containerd;
    private RegistryHarness? _registries;
    private RunningRegistry? _registry;

    private CriContainerd Containerd => _containerd ?? throw new InvalidOperationException("containerd did not start");

    private SnapshotterProcess Snapshotter => _snapshotter ?? throw new InvalidOperationException("the snapshotter did not start");

    public async Task InitializeAsync()
    {
        // xUnit does not call DisposeAsync when InitializeAsync fails: what started must go here.
        try
        {
            var paths = CriHarnessPaths.FromSourceTree(AppContext.BaseDirectory) with { ShimBinary = ShimUnderTest.Binary, GuestDirectory = Repository.GuestDirectory };
            _snapshotter = await SnapshotterProcess.StartAsync(paths.SnapshotterBinary, _work.Path, CancellationToken.None);
            string socket = Snapshotter.Socket;
            _containerd = await CriContainerd.StartAsync(paths, config => config with { SnapshotterAddress = socket, PlainHttpRegistry = PodRegistry.Loopback });
            _registries = await RegistryHarness.CreateAsync(SystemProcessRunner.Instance, Containerd.Network.Path, [], CancellationToken.None);
            _registry = await _registries.StartAsync(new RegistryOptions { Listen = PodRegistry.Loopback }, CancellationToken.None);
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    public async Task DisposeAsync()
    {
        if (_registries is not null)
        {
            await _registries.DisposeAsync();
        }

        if (_containerd is not null)
        {
            await _containerd.DisposeAsync();
        }

        if (_snapshotter is not null)
        {
            await _snapshotter.DisposeAsync();
        }

        _work.Dispose();
    }

    [Fact]
    public async Task A_cri_pull_leaves_no_layer_on_the_host_and_the_container_snapshot_asks_for_guest_pull()
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var image = await OciLayoutImage.WriteAsync(_work.Combine("image"), "1", cancel.Token);
        string reference = await _registries!.PushAsync(image.Source, _registry!, "sealpod/guest-pull:" + image.Tag, cancel.Token);

        await Containerd.Images.PullImageAsync(new PullImageRequest { Image = new ImageSpec { Image = reference } }, CriContainerd.Deadline(TimeSpan.FromSeconds(120), cancel.Token));

        // containerd fetched the manifest and the config (CRI reads it), and skipped the layer: the unpacker found the
        // layer's snapshot already there (Prepare answered AlreadyExists) and never started its fetch.
        var blobs = Directory.EnumerateFiles(Path.Combine(Containerd.RootDirectory, "io.containerd.content.v1.content", "blobs", "sha256")).Select(Path.GetFileName).ToList();
        Assert.Contains(Hex(image.ManifestDigest), blobs);
        Assert.Contains(Hex(image.ConfigDigest), blobs);
        Assert.DoesNotContain(Hex(image.LayerDigest), blobs);
        Assert.Empty(FindFiles(Containerd.RootDirectory, image.FileName));
        Assert.Equal([Path.Combine(Snapshotter.Root, "state.json")], FindFiles(Snapshotter.Root, "*"));

        // The layer's snapshot: committed under its chain id (one layer: its diff id), with CRI's labels.
        using var info = JsonDocument.Parse(await CtrAsync(["snapshots", "--snapshotter", "sealpod", "info", image.DiffId], cancel.Token));
        Assert.Equal("Committed", info.RootElement.GetProperty("Kind").GetString());
        var labels = info.RootElement.GetProperty("Labels");
        Assert.Equal(image.LayerDigest, labels.GetProperty(LayerDigestLabel).GetString());
        Assert.Equal(image.ManifestDigest, labels.GetProperty("containerd.io/snapshot/cri.manifest-digest").GetString());
        string imageRef = labels.GetProperty(ImageRefLabel).GetString()!;
        Assert.EndsWith("sealpod/guest-pull:1", imageRef, StringComparison.Ordinal);

        // A container's snapshot, prepared through containerd as CRI's WithNewSnapshot does, and its mounts as
        // containerd hands them to a shim.
        const string container = "sp-guest-pull-container";
        await CtrAsync(["snapshots", "--snapshotter", "sealpod", "prepare", container, image.DiffId], cancel.Token);
        string mount = await CtrAsync(["snapshots", "--snapshotter", "sealpod", "mounts", "/sp-target", container], cancel.Token);
        var words = mount.Trim().Split(' ');
        Assert.Equal(["mount", "-t", "fuse.nydus-overlayfs", "overlay", "/sp-target", "-o"], words[..6]);
        // Read as Kata's runtime reads it: base64 (standard) of the KataVirtualVolume JSON.
        string option = Assert.Single(words[6].Split(','), o => o.StartsWith("io.katacontainers.volume=", StringComparison.Ordinal));
        using var volume = JsonDocument.Parse(Convert.FromBase64String(option["io.katacontainers.volume=".Length..]));
        Assert.Equal("image_guest_pull", volume.RootElement.GetProperty("volume_type").GetString());
        var metadata = volume.RootElement.GetProperty("image_pull").GetProperty("metadata");
        Assert.Equal(imageRef, metadata.GetProperty(ImageRefLabel).GetString());
        Assert.Equal(image.LayerDigest, metadata.GetProperty(LayerDigestLabel).GetString());

        // Removing the container's snapshot and the image leaves the snapshotter empty (containerd's garbage collector
        // removes the layer's snapshot through the proxy).
        await CtrAsync(["snapshots", "--snapshotter", "sealpod", "rm", container], cancel.Token);
        await Containerd.Images.RemoveImageAsync(new RemoveImageRequest { Image = new ImageSpec { Image = reference } }, CriContainerd.Deadline(TimeSpan.FromSeconds(60), cancel.Token));
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (Directory.EnumerateFileSystemEntries(Snapshotter.SnapshotsDirectory).Any() && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200, cancel.Token);
        }

        Assert.Empty(Directory.EnumerateFileSystemEntries(Snapshotter.SnapshotsDirectory));
        Assert.Equal(string.Empty, (await CtrAsync(["snapshots", "--snapshotter", "sealpod", "ls"], cancel.Token)).Split('\n', 2)[1].Trim());
    }

    private const string ImageRefLabel = "containerd.io/snapshot/cri.image-ref";

    private const string LayerDigestLabel = "containerd.io/snapshot/cri.layer-digest";

    private static string Hex(string digest) => digest["sha256:".Length..];

    private static List<string> FindFiles(string root, string pattern) =>
        Directory.EnumerateFiles(root, pattern, new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = 0 }).ToList();

    private async Task<string> CtrAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var result = await Tool.RunAsync("ctr", ["--address", Containerd.Socket, "-n", CriContainerd.Namespace, .. arguments], cancellationToken);
        Assert.True(result.Succeeded, result.ToString() + "\n" + Containerd.LogTail());
        return result.Stdout;
    }
}
