namespace Sealpod.Agent.Storage;

/// <summary>
/// A filesystem to prepare in the guest before a container uses it (the Kata <c>Storage</c>
/// message, minus wire types): the rootfs disk, its overlay, a scratch directory.
/// </summary>
internal sealed record StorageSpec
{
    /// <summary>"blk", "scsi", "overlayfs", "local", "ephemeral", "virtio-fs" or "image_guest_pull".</summary>
    public required string Driver { get; init; }

    /// <summary>blk: a PCI path ("02/01", "01") or an absolute /dev path; overlayfs: "overlay"; virtio-fs: the tag.</summary>
    public string Source { get; init; } = "";

    public string FileSystemType { get; init; } = "";

    public IReadOnlyList<string> Options { get; init; } = [];

    /// <summary>Driver-specific options, e.g. image_guest_pull's <c>image_guest_pull={"metadata": ...}</c>.</summary>
    public IReadOnlyList<string> DriverOptions { get; init; } = [];

    public required string MountPoint { get; init; }

    /// <summary>Mounted once and reference counted across containers.</summary>
    public bool Shared { get; init; }
}
