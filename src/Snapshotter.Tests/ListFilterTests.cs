using Sealpod.Snapshotter.Service;

namespace Sealpod.Snapshotter.Tests;

public sealed class ListFilterTests
{
    private static readonly SnapshotRecord Layer = new(
        "sha256:c2", 2, "sha256:c1", SnapshotKind.Committed, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch,
        new Dictionary<string, string> { ["containerd.io/snapshot.ref"] = "sha256:c2" }, GuestPull: true);

    [Theory]
    // What containerd 1.6's metadata store sends after a remote snapshotter's AlreadyExists (metadata/snapshot.go).
    [InlineData("labels.\"containerd.io/snapshot.ref\"==sha256:c2,parent==\"sha256:c1\"", true)]
    [InlineData("labels.\"containerd.io/snapshot.ref\"==sha256:c2,parent==\"sha256:c0\"", false)]
    [InlineData("name==sha256:c2", true)]
    [InlineData("kind==committed", true)]
    [InlineData("kind!=committed", false)]
    [InlineData("labels.missing==x", false)]
    // Not applied (over-listing is safe, containerd checks what it gets).
    [InlineData("name~=^sha", true)]
    public void A_filter_selects_by_name_parent_kind_and_labels(string filter, bool expected) =>
        Assert.Equal(expected, ListFilter.Parse([filter])(Layer));

    [Fact]
    public void Filters_are_alternatives_and_none_lists_everything()
    {
        Assert.True(ListFilter.Parse(["name==other", "parent==sha256:c1"])(Layer));
        Assert.False(ListFilter.Parse(["name==other", "parent==other"])(Layer));
        Assert.True(ListFilter.Parse([])(Layer));
    }
}
