namespace Sealpod.Runtime.Rootfs;

/// <summary>
/// A container's root filesystem on the host: containerd's mounts at the bundle's rootfs directory and the
/// erofs image built (or reused) from it, which is what the guest gets. <see cref="Release"/> unmounts.
/// </summary>
public sealed partial class ContainerRootfs
{
    private int _released;

    private ContainerRootfs(string mountPath, bool mounted, ErofsImage? image, AgentClient.Model.Storage? guestPull = null)
    {
        MountPath = mountPath;
        Mounted = mounted;
        Image = image;
        GuestPull = guestPull;
    }

    /// <summary>
    /// A rootfs the guest pulls itself (<see cref="Translation.ImageGuestPull"/>): nothing is mounted or read on the
    /// host, the agent gets <paramref name="storage"/>.
    /// </summary>
    public static ContainerRootfs ForGuestPull(string mountPath, AgentClient.Model.Storage storage) => new(mountPath, false, null, storage);

    public string MountPath { get; }

    /// <summary>Whether this object mounted something at <see cref="MountPath"/> (containerd sent mounts).</summary>
    public bool Mounted { get; }

    /// <summary>The erofs image the guest mounts; null when the guest pulls the image (<see cref="GuestPull"/>).</summary>
    public ErofsImage? Image { get; }

    /// <summary>The image_guest_pull storage that makes this rootfs in the guest, or null.</summary>
    public AgentClient.Model.Storage? GuestPull { get; }

    /// <summary>
    /// Mounts <paramref name="mounts"/> at <paramref name="mountPath"/> (none: the directory is already the
    /// rootfs) and gets the image of the tree. On failure nothing stays mounted.
    /// </summary>
    public static async Task<ContainerRootfs> PrepareAsync(
        string mountPath, IReadOnlyList<RootfsMount> mounts, ErofsImageCache images, ILogger logger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(mounts);
        ArgumentNullException.ThrowIfNull(images);
        bool mounted = mounts.Count > 0;
        if (mounted)
        {
            RootfsMounter.MountAll(mounts, mountPath);
        }
        else if (!Directory.Exists(mountPath))
        {
            throw new Errors.InvalidArgumentException($"no rootfs mounts were given and {mountPath} does not exist");
        }

        try
        {
            // An overlay of untouched snapshots is named by the snapshots; anything else by walking the tree.
            var image = SnapshotKey.TryCompute(mounts) is { } key
                ? await images.GetOrBuildAsync(mountPath, key, cancellationToken).ConfigureAwait(false)
                : await images.GetOrBuildAsync(mountPath, cancellationToken).ConfigureAwait(false);
            LogPrepared(logger, mountPath, image.Path, image.Reused);
            return new ContainerRootfs(mountPath, mounted, image);
        }
        catch
        {
            if (mounted)
            {
                RootfsMounter.UnmountAll(mountPath);
            }

            throw;
        }
    }

    /// <summary>Unmounts what <see cref="PrepareAsync"/> mounted; safe to call more than once.</summary>
    public void Release()
    {
        if (Interlocked.Exchange(ref _released, 1) == 0 && Mounted)
        {
            RootfsMounter.UnmountAll(MountPath);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "rootfs {MountPath}: image {Image} (reused: {Reused})")]
    private static partial void LogPrepared(ILogger logger, string mountPath, string image, bool reused);
}
