namespace Sealpod.Snapshotter.Store;

/// <summary>
/// One snapshot as the store keeps it (and persists it). <paramref name="Id"/> names its directory under the root:
/// containerd's keys hold slashes and spaces ("k8s.io/12/extract-… sha256:…") and never become a path.
/// </summary>
/// <param name="Name">containerd's key (active, view) or name (committed).</param>
/// <param name="Id">The directory's name: a number the store hands out, never reused.</param>
/// <param name="Parent">The parent's name, empty for none.</param>
/// <param name="GuestPull">True for an image layer left to the guest: no content on the host, its directory empty.</param>
public sealed record SnapshotRecord(
    string Name,
    long Id,
    string Parent,
    SnapshotKind Kind,
    DateTimeOffset Created,
    DateTimeOffset Updated,
    IReadOnlyDictionary<string, string> Labels,
    bool GuestPull);
