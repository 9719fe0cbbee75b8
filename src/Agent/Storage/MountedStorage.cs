namespace Sealpod.Agent.Storage;

/// <summary>A storage the agent prepared; hand it back to <see cref="StorageManager.Release"/>.</summary>
internal sealed class MountedStorage(StorageSpec spec, string mountPoint, string? device, string? scratchDirectory)
{
    public StorageSpec Spec { get; } = spec;

    public string MountPoint { get; } = mountPoint;

    /// <summary>The block device that was mounted (blk), for diagnostics.</summary>
    public string? Device { get; } = device;

    /// <summary>Directory the agent created for the storage's private state (overlay upper/work).</summary>
    internal string? ScratchDirectory { get; } = scratchDirectory;

    internal int References { get; set; } = 1;

    /// <summary>What else the last release frees (an in-guest pulled image's layers).</summary>
    internal Action? OnRelease { get; init; }
}
