namespace Sealpod.Agent.Storage;

/// <summary>
/// Kata's "virtio-fs" storage: the host directory a virtiofsd serves, mounted by its tag (<c>mount -t virtiofs TAG
/// DIR</c>). The runtime puts every shared bind mount under that directory, so this one mount carries them all.
/// </summary>
internal static class VirtioFsStorage
{
    /// <summary>The only filesystem type the driver mounts; Kata sends it as <c>fstype</c>.</summary>
    public const string FileSystemType = "virtiofs";

    // A virtio-fs tag is at most 36 bytes (the virtio-fs config space field).
    private const int MaxTagBytes = 36;

    public static MountedStorage Mount(StorageSpec spec, string mountPoint)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.FileSystemType.Length > 0 && spec.FileSystemType != FileSystemType)
        {
            throw new InvalidArgumentException($"storage for {mountPoint}: a virtio-fs storage mounts fstype '{FileSystemType}', not '{spec.FileSystemType}'");
        }

        if (spec.Source.Length == 0 || System.Text.Encoding.UTF8.GetByteCount(spec.Source) > MaxTagBytes
            || spec.Source.Any(c => char.IsControl(c) || c == '/'))
        {
            throw new InvalidArgumentException($"storage for {mountPoint}: a virtio-fs storage needs source = the device tag (1-{MaxTagBytes} bytes, no '/'), got '{spec.Source}'");
        }

        var created = !Directory.Exists(mountPoint);
        Directory.CreateDirectory(mountPoint);
        try
        {
            Mounter.Mount(spec.Source, mountPoint, FileSystemType, MountOptions.Parse(spec.Options));
        }
        catch
        {
            if (created)
            {
                Directory.Delete(mountPoint);
            }

            throw;
        }

        return new MountedStorage(spec, mountPoint, null, null);
    }
}
