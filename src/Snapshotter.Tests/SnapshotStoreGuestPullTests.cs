using Sealpod.Contract.Guest;

namespace Sealpod.Snapshotter.Tests;

public sealed class SnapshotStoreGuestPullTests : TempDirectoryTest
{
    private const string Chain1 = "sha256:aaaa000000000000000000000000000000000000000000000000000000000001";
    private const string Chain2 = "sha256:aaaa000000000000000000000000000000000000000000000000000000000002";
    private const string Layer1 = "sha256:bbbb000000000000000000000000000000000000000000000000000000000001";
    private const string Layer2 = "sha256:bbbb000000000000000000000000000000000000000000000000000000000002";

    [Fact]
    public async Task Prepare_of_a_labelled_layer_records_it_committed_and_empty_and_answers_already_exists()
    {
        using var store = await SnapshotStore.OpenAsync(Temp.Path);

        var refused = await Assert.ThrowsAsync<SnapshotException>(() =>
            store.PrepareAsync("default/1/extract-1 " + Chain1, string.Empty, GuestPullLayers.Labels(Chain1, Layer1), CancellationToken.None));

        Assert.Equal(SnapshotError.AlreadyExists, refused.Error);
        Assert.Contains(Chain1, refused.Message, StringComparison.Ordinal);
        var layer = await store.StatAsync(Chain1, CancellationToken.None);
        Assert.Equal(SnapshotKind.Committed, layer.Kind);
        Assert.True(layer.GuestPull);
        Assert.Equal(GuestPullLayers.Image, layer.Labels[GuestPullLabels.ImageRef]);
        // The extraction key itself is never created: containerd will not Commit or Remove it.
        await Assert.ThrowsAsync<SnapshotException>(() => store.StatAsync("default/1/extract-1 " + Chain1, CancellationToken.None));
        Assert.DoesNotContain(Directory.EnumerateFileSystemEntries(Temp.Combine("snapshots"), "*", SearchOption.AllDirectories), File.Exists);
    }

    [Fact]
    public async Task A_second_prepare_of_the_same_layer_answers_already_exists_again_without_a_second_record()
    {
        using var store = await SnapshotStore.OpenAsync(Temp.Path);
        await Assert.ThrowsAsync<SnapshotException>(() => store.PrepareAsync("k8s.io/1/extract-1 " + Chain1, string.Empty, GuestPullLayers.Labels(Chain1, Layer1), CancellationToken.None));

        var again = await Assert.ThrowsAsync<SnapshotException>(() => store.PrepareAsync("other/7/extract-2 " + Chain1, string.Empty, GuestPullLayers.Labels(Chain1, Layer1), CancellationToken.None));

        Assert.Equal(SnapshotError.AlreadyExists, again.Error);
        Assert.Single(await store.ListAsync(_ => true, CancellationToken.None));
    }

    [Fact]
    public async Task The_containers_active_snapshot_mounts_with_the_guest_pull_volume_of_the_top_layer()
    {
        using var store = await SnapshotStore.OpenAsync(Temp.Path);
        await Assert.ThrowsAsync<SnapshotException>(() => store.PrepareAsync("k8s.io/1/extract-1 " + Chain1, string.Empty, GuestPullLayers.Labels(Chain1, Layer1), CancellationToken.None));
        await Assert.ThrowsAsync<SnapshotException>(() => store.PrepareAsync("k8s.io/2/extract-2 " + Chain2, Chain1, GuestPullLayers.Labels(Chain2, Layer2), CancellationToken.None));

        var mounts = await store.PrepareAsync("k8s.io/3/container-1", Chain2, new Dictionary<string, string> { ["containerd.io/gc.root"] = "x" }, CancellationToken.None);

        var mount = Assert.Single(mounts);
        Assert.Equal("fuse.nydus-overlayfs", mount.Type);
        Assert.Equal("overlay", mount.Source);
        var volume = mount.Options.Select(KataVirtualVolume.Parse).Single(v => v is not null)!.Value;
        Assert.Equal(GuestPullNames.Driver, volume.VolumeType);
        Assert.Equal(GuestPullLayers.Image, volume.Metadata[GuestPullLabels.ImageRef]);
        Assert.Equal(Layer2, volume.Metadata[GuestPullLabels.LayerDigest]);
        Assert.Equal(Chain2, volume.Metadata[GuestPullLabels.TargetSnapshotRef]);
        Assert.Contains(mount.Options, o => o.StartsWith("upperdir=" + Temp.Path, StringComparison.Ordinal));
        Assert.Equal(mount.Options, Assert.Single(await store.MountsAsync("k8s.io/3/container-1", CancellationToken.None)).Options);
    }

    [Fact]
    public async Task A_labelled_layer_over_a_host_unpacked_parent_is_unpacked_on_the_host_too()
    {
        using var store = await SnapshotStore.OpenAsync(Temp.Path);
        await store.PrepareAsync("extract-1", string.Empty, null, CancellationToken.None);
        await store.CommitAsync(Chain1, "extract-1", null, CancellationToken.None);

        var mounts = await store.PrepareAsync("extract-2", Chain1, GuestPullLayers.Labels(Chain2, Layer2), CancellationToken.None);

        Assert.Equal("overlay", Assert.Single(mounts).Type);
        Assert.Equal(SnapshotKind.Active, (await store.StatAsync("extract-2", CancellationToken.None)).Kind);
    }

    [Fact]
    public async Task Removing_the_container_and_the_layers_leaves_nothing()
    {
        using var store = await SnapshotStore.OpenAsync(Temp.Path);
        await Assert.ThrowsAsync<SnapshotException>(() => store.PrepareAsync("k1", string.Empty, GuestPullLayers.Labels(Chain1, Layer1), CancellationToken.None));
        await store.PrepareAsync("container", Chain1, null, CancellationToken.None);

        var busy = await Assert.ThrowsAsync<SnapshotException>(() => store.RemoveAsync(Chain1, CancellationToken.None));
        Assert.Equal(SnapshotError.FailedPrecondition, busy.Error);

        await store.RemoveAsync("container", CancellationToken.None);
        await store.RemoveAsync(Chain1, CancellationToken.None);
        Assert.Empty(Directory.EnumerateFileSystemEntries(Temp.Combine("snapshots")));
        Assert.Empty(await store.ListAsync(_ => true, CancellationToken.None));
    }
}
