namespace Sealpod.Snapshotter.Store;

/// <summary>containerd's snapshot kinds (snapshots.Kind): an active snapshot is writable, a view read-only, a
/// committed one is a parent for others.</summary>
public enum SnapshotKind
{
    View = 1,
    Active = 2,
    Committed = 3,
}
