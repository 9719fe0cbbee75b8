namespace Sealpod.Runtime.Translation;

/// <summary>
/// The agent storages that make a container's root filesystem in the guest: the erofs image disk mounted
/// read-only (shared by every container of the sandbox that uses the same image, the agent counts
/// references by mount point), and an overlay with a writable upper layer on the guest's /run tmpfs.
/// Drivers and sources follow Kata: <c>blk</c> with a PCI path for virtio-blk, <c>scsi</c> with
/// <c>target:lun</c> for virtio-scsi.
/// </summary>
public static class RootfsStorages
{
    /// <summary>Where the container's root filesystem appears in the guest.</summary>
    /// <remarks>Under the agent's storage root (src/Agent/README.md); its own bundles live in /run/sealpod/containers.</remarks>
    public static string GuestRootfs(string containerId) => GuestPaths.ContainerRootfs(containerId);

    /// <summary>Where an image is mounted in the guest, by the first 16 hex digits of its digest.</summary>
    public static string GuestImageMount(string digest) => GuestPaths.ImageMount(digest);

    public static IReadOnlyList<Storage> For(string containerId, string imageDigest, BlockDeviceAttachment attachment)
    {
        ArgumentNullException.ThrowIfNull(attachment);
        var (driver, source) = attachment.Driver switch
        {
            GuestBlockDriver.VirtioBlk => ("blk", attachment.GuestAddress.ToString()),
            GuestBlockDriver.VirtioScsi => ("scsi", attachment.GuestAddress.ToString()),
            _ => throw new NotSupportedException($"block driver {attachment.Driver} has no agent storage driver"),
        };
        string imageMount = GuestImageMount(imageDigest);
        var image = new Storage
        {
            Driver = driver,
            Source = source,
            FsType = "erofs",
            Options = ["ro"],
            MountPoint = imageMount,
            Shared = true,
        };
        var overlay = new Storage
        {
            Driver = "overlayfs",
            Source = "overlay",
            FsType = "overlay",
            Options = [$"lowerdir={imageMount}"],
            MountPoint = GuestRootfs(containerId),
        };
        return [image, overlay];
    }
}
