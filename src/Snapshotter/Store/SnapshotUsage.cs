namespace Sealpod.Snapshotter.Store;

/// <summary>Bytes and inodes a snapshot's own directory holds (not its parents').</summary>
public sealed record SnapshotUsage(long Size, long Inodes);
