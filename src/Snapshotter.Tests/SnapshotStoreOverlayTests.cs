namespace Sealpod.Snapshotter.Tests;

public sealed class SnapshotStoreOverlayTests : TempDirectoryTest
{
    [Fact]
    public async Task A_first_layer_is_a_writable_bind_of_its_own_directory()
    {
        using var store = await SnapshotStore.OpenAsync(Temp.Path);

        var mount = Assert.Single(await store.PrepareAsync("extract-1", string.Empty, null, CancellationToken.None));

        Assert.Equal("bind", mount.Type);
        Assert.StartsWith(Temp.Combine("snapshots"), mount.Source, StringComparison.Ordinal);
        Assert.True(Directory.Exists(mount.Source));
        Assert.Equal(["rw", "rbind"], mount.Options);
    }

    [Fact]
    public async Task A_child_is_an_overlay_over_its_parents_nearest_first()
    {
        using var store = await SnapshotStore.OpenAsync(Temp.Path);
        string bottom = Assert.Single(await store.PrepareAsync("a", string.Empty, null, CancellationToken.None)).Source;
        await File.WriteAllTextAsync(Path.Combine(bottom, "file"), "12345");
        await store.CommitAsync("layer-a", "a", null, CancellationToken.None);
        string middle = Assert.Single(await store.PrepareAsync("b", "layer-a", null, CancellationToken.None)).Options.Single(o => o.StartsWith("upperdir=", StringComparison.Ordinal))["upperdir=".Length..];
        await store.CommitAsync("layer-b", "b", null, CancellationToken.None);

        var mount = Assert.Single(await store.PrepareAsync("c", "layer-b", null, CancellationToken.None));
        var view = Assert.Single(await store.ViewAsync("v", "layer-a", null, CancellationToken.None));

        Assert.Equal("overlay", mount.Type);
        Assert.Equal("lowerdir=" + middle + ":" + bottom, mount.Options.Single(o => o.StartsWith("lowerdir=", StringComparison.Ordinal)));
        Assert.Equal(("bind", bottom), (view.Type, view.Source));
        Assert.Equal(["ro", "rbind"], view.Options);
        Assert.Equal(new SnapshotUsage(5, 2), await store.UsageAsync("layer-a", CancellationToken.None));
    }

    [Fact]
    public async Task The_state_survives_a_restart_and_ids_are_not_reused()
    {
        string firstSource;
        using (var store = await SnapshotStore.OpenAsync(Temp.Path))
        {
            firstSource = Assert.Single(await store.PrepareAsync("a", string.Empty, new Dictionary<string, string> { ["l"] = "1" }, CancellationToken.None)).Source;
            await store.CommitAsync("layer-a", "a", new Dictionary<string, string> { ["l"] = "2" }, CancellationToken.None);
            await store.PrepareAsync("gone", "layer-a", null, CancellationToken.None);
            await store.RemoveAsync("gone", CancellationToken.None);
        }

        using var reopened = await SnapshotStore.OpenAsync(Temp.Path);
        var layer = await reopened.StatAsync("layer-a", CancellationToken.None);
        Assert.Equal(SnapshotKind.Committed, layer.Kind);
        Assert.Equal("2", layer.Labels["l"]);
        var next = Assert.Single(await reopened.PrepareAsync("b", "layer-a", null, CancellationToken.None));
        string upper = next.Options.Single(o => o.StartsWith("upperdir=", StringComparison.Ordinal));
        Assert.EndsWith("/3/fs", upper, StringComparison.Ordinal);
        Assert.Contains("lowerdir=" + firstSource, next.Options);
    }

    [Fact]
    public async Task Bad_requests_are_refused_with_the_field_and_what_was_expected()
    {
        using var store = await SnapshotStore.OpenAsync(Temp.Path);
        await store.PrepareAsync("active", string.Empty, null, CancellationToken.None);
        await store.ViewAsync("view", string.Empty, null, CancellationToken.None);

        var empty = await Assert.ThrowsAsync<SnapshotException>(() => store.PrepareAsync(string.Empty, string.Empty, null, CancellationToken.None));
        var nul = await Assert.ThrowsAsync<SnapshotException>(() => store.PrepareAsync("a\0b", string.Empty, null, CancellationToken.None));
        var label = await Assert.ThrowsAsync<SnapshotException>(() => store.PrepareAsync("x", string.Empty, new Dictionary<string, string> { ["k"] = new string('v', 4096) }, CancellationToken.None));
        var missingParent = await Assert.ThrowsAsync<SnapshotException>(() => store.PrepareAsync("x", "nope", null, CancellationToken.None));
        var activeParent = await Assert.ThrowsAsync<SnapshotException>(() => store.PrepareAsync("x", "active", null, CancellationToken.None));
        var duplicate = await Assert.ThrowsAsync<SnapshotException>(() => store.PrepareAsync("active", string.Empty, null, CancellationToken.None));
        var commitView = await Assert.ThrowsAsync<SnapshotException>(() => store.CommitAsync("c", "view", null, CancellationToken.None));
        var badMask = await Assert.ThrowsAsync<SnapshotException>(() => store.UpdateAsync("active", null, ["parent"], CancellationToken.None));

        Assert.Equal((SnapshotError.InvalidArgument, "key: expected a snapshot key, found an empty string"), (empty.Error, empty.Message));
        Assert.Equal(SnapshotError.InvalidArgument, nul.Error);
        Assert.Equal(SnapshotError.InvalidArgument, label.Error);
        Assert.Contains("\"k\"", label.Message, StringComparison.Ordinal);
        Assert.Equal(SnapshotError.NotFound, missingParent.Error);
        Assert.Equal(SnapshotError.InvalidArgument, activeParent.Error);
        Assert.Equal(SnapshotError.AlreadyExists, duplicate.Error);
        Assert.Equal(SnapshotError.FailedPrecondition, commitView.Error);
        Assert.Contains("update_mask", badMask.Message, StringComparison.Ordinal);
        // Nothing of the refused calls was stored.
        Assert.Equal(["active", "view"], (await store.ListAsync(_ => true, CancellationToken.None)).Select(s => s.Name));
    }

    [Fact]
    public async Task Update_replaces_the_labels_or_sets_and_removes_the_ones_the_mask_names()
    {
        using var store = await SnapshotStore.OpenAsync(Temp.Path);
        await store.PrepareAsync("a", string.Empty, new Dictionary<string, string> { ["keep"] = "1", ["drop"] = "2" }, CancellationToken.None);

        var masked = await store.UpdateAsync("a", new Dictionary<string, string> { ["new"] = "3" }, ["labels.new", "labels.drop"], CancellationToken.None);
        Assert.Equal(new Dictionary<string, string> { ["keep"] = "1", ["new"] = "3" }, masked.Labels);

        var replaced = await store.UpdateAsync("a", new Dictionary<string, string> { ["only"] = "4" }, [], CancellationToken.None);
        Assert.Equal(new Dictionary<string, string> { ["only"] = "4" }, replaced.Labels);
    }

    [Fact]
    public async Task Cleanup_removes_directories_no_snapshot_owns()
    {
        using var store = await SnapshotStore.OpenAsync(Temp.Path);
        await store.PrepareAsync("a", string.Empty, null, CancellationToken.None);
        Directory.CreateDirectory(Temp.Combine("snapshots", "99", "fs"));

        var removed = await store.CleanupAsync(CancellationToken.None);

        Assert.Equal([Temp.Combine("snapshots", "99")], removed);
        Assert.Equal(["1"], Directory.EnumerateDirectories(Temp.Combine("snapshots")).Select(Path.GetFileName));
    }
}
