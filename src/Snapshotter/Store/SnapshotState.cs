namespace Sealpod.Snapshotter.Store;

/// <summary>What survives a restart: every snapshot and the next directory id.</summary>
public sealed record SnapshotState(long NextId, IReadOnlyList<SnapshotRecord> Snapshots)
{
    public static SnapshotState Empty { get; } = new(1, []);
}
