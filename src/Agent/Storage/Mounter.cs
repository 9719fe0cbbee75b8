using Sealpod.Linux.Mounts;

namespace Sealpod.Agent.Storage;

/// <summary>mount(2) and umount2(2) with errors that name what was being mounted.</summary>
internal static class Mounter
{
    public static void Mount(string source, string target, string fileSystemType, MountOptions options)
    {
        var data = options.Data.Length == 0 ? null : options.Data;
        if (LibC.Mount(source, target, fileSystemType, options.Flags, data) != 0)
        {
            throw SystemCallException.FromLastError("mount", $"{source} on {target} ({fileSystemType}, {options.Data})");
        }
    }

    /// <summary>Unmounts; a busy mount is detached lazily rather than left behind.</summary>
    public static void Unmount(string target)
    {
        if (LibC.Umount2(target, LibC.UMOUNT_NOFOLLOW) == 0)
        {
            return;
        }

        var error = Marshal.GetLastPInvokeError();
        if (error == LibC.EBUSY && LibC.Umount2(target, LibC.MNT_DETACH | LibC.UMOUNT_NOFOLLOW) == 0)
        {
            return;
        }

        if (error == LibC.EINVAL || error == LibC.ENOENT)
        {
            return; // Not mounted (any more).
        }

        throw new SystemCallException("umount", error, target);
    }

    /// <summary>Whether <paramref name="path"/> is a mount point, from /proc/self/mountinfo.</summary>
    public static bool IsMountPoint(string path) => MountTable.IsMountPoint(path);
}
