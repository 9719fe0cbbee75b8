namespace Sealpod.Snapshotter.Store;

/// <summary>One mount as containerd's types.Mount carries it.</summary>
public sealed record SnapshotMount(string Type, string Source, IReadOnlyList<string> Options);
