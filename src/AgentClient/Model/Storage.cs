namespace Sealpod.AgentClient.Model;

/// <summary>
/// Something the agent mounts in the guest before it creates a sandbox or container: a disk, an overlay, a tmpfs,
/// the virtio-fs share. <see cref="Driver"/> names the agent's handler (Kata's <c>blk</c>, <c>scsi</c>,
/// <c>overlayfs</c>, <c>local</c>, <c>virtio-fs</c>, ...); a <see cref="Shared"/> storage is reference counted by
/// mount point across the containers that name it.
/// </summary>
public sealed record Storage
{
    public string Driver { get; init; } = string.Empty;

    public IReadOnlyList<string> DriverOptions { get; init; } = [];

    public string Source { get; init; } = string.Empty;

    public string FsType { get; init; } = string.Empty;

    public IReadOnlyList<string> Options { get; init; } = [];

    public string MountPoint { get; init; } = string.Empty;

    public bool Shared { get; init; }
}
