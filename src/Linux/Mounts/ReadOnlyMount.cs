namespace Sealpod.Linux.Mounts;

/// <summary>
/// Makes a mount and every mount under it read-only with one mount_setattr(2) call (AT_RECURSIVE): a
/// remount with MS_RDONLY changes only the top mount, so a recursive bind of a tree with submounts would
/// otherwise stay writable below them.
/// </summary>
public static class ReadOnlyMount
{
    /// <summary>
    /// Sets MOUNT_ATTR_RDONLY on the mount at <paramref name="mountPoint"/> and all its submounts (the point itself
    /// is not followed if it is a link). Throws <see cref="SystemCallException"/> naming the path and, when the
    /// kernel lacks the call, the version that has it.
    /// </summary>
    public static void ApplyRecursively(string mountPoint)
    {
        ArgumentException.ThrowIfNullOrEmpty(mountPoint);
        var attributes = new LibC.MountAttr { AttrSet = LibC.MOUNT_ATTR_RDONLY };
        if (LibC.MountSetAttr(LibC.AT_FDCWD, mountPoint, LibC.AT_RECURSIVE | (uint)LibC.AT_SYMLINK_NOFOLLOW, ref attributes) == 0)
        {
            return;
        }

        int errno = Marshal.GetLastPInvokeError();
        var operation = errno == LibC.ENOSYS
            ? "make read-only with its submounts (mount_setattr, Linux 5.12 or later, is not available)"
            : "make read-only with its submounts (mount_setattr)";
        throw new SystemCallException(operation, errno, mountPoint);
    }
}
