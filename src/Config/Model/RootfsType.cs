namespace Sealpod.Config;

/// <summary><c>rootfs_type</c>: file system of the guest image.</summary>
public enum RootfsType
{
    /// <summary><c>ext4</c> (default).</summary>
    Ext4,

    /// <summary><c>xfs</c>.</summary>
    Xfs,

    /// <summary><c>erofs</c>.</summary>
    Erofs,
}
