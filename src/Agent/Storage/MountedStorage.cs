namespace Sealpod.Agent.Storage;

/// <summary>A storage the agent prepared; hand it back to <see cref="StorageManager.Release"/>.</summary>
internal sealed class MountedStorage
{
    internal MountedStorage(StorageSpec spec, string mountPoint, string? device, string? scratchDirectory)
    {
        Spec = spec;
        MountPoint = mountPoint;
        Device = device;
        ScratchDirectory = scratchDirectory;
    }

    public StorageSpec Spec { get; }

    public string MountPoint { get; }

    /// <summary>The block device that was mounted (blk), for diagnostics.</summary>
    public string? Device { get; }

    /// <summary>Directory the agent created for the storage's private state (overlay upper/work).</summary>
    internal string? ScratchDirectory { get; }

    internal int References { get; set; } = 1;

    /// <summary>What else the last release frees (an in-guest pulled image's layers).</summary>
    internal Action? OnRelease { get; init; }
}
