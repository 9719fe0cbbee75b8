namespace Sealpod.Runtime.Rootfs;

/// <summary>
/// Mounts containerd's rootfs mounts (overlay from the overlayfs snapshotter, bind for native, a block
/// device for devmapper) at the bundle's <c>rootfs</c> directory, in order, as containerd's mount.All does,
/// and takes them down again. Everything is undone on failure.
/// </summary>
public static class RootfsMounter
{
    // Options that are mount(2) flags rather than filesystem data.
    private static readonly Dictionary<string, (ulong Set, ulong Clear)> Flags = new(StringComparer.Ordinal)
    {
        ["ro"] = (0x1, 0),
        ["rw"] = (0, 0x1),
        ["nosuid"] = (0x2, 0),
        ["suid"] = (0, 0x2),
        ["nodev"] = (0x4, 0),
        ["dev"] = (0, 0x4),
        ["noexec"] = (0x8, 0),
        ["exec"] = (0, 0x8),
        ["sync"] = (0x10, 0),
        ["async"] = (0, 0x10),
        ["dirsync"] = (0x80, 0),
        ["noatime"] = (0x400, 0),
        ["atime"] = (0, 0x400),
        ["nodiratime"] = (0x800, 0),
        ["diratime"] = (0, 0x800),
        ["relatime"] = (0x200000, 0),
        ["norelatime"] = (0, 0x200000),
        ["strictatime"] = (0x1000000, 0),
        ["bind"] = (LibC.MS_BIND, 0),
        ["rbind"] = (LibC.MS_BIND | LibC.MS_REC, 0),
        ["defaults"] = (0, 0),
    };

    /// <summary>Mounts <paramref name="mounts"/> at <paramref name="target"/> (created if missing).</summary>
    /// <exception cref="InvalidArgumentException">A mount failed; the message names it and the errno.</exception>
    public static void MountAll(IReadOnlyList<RootfsMount> mounts, string target)
    {
        ArgumentNullException.ThrowIfNull(mounts);
        Directory.CreateDirectory(target);
        int done = 0;
        try
        {
            foreach (var mount in mounts)
            {
                Mount(mount, target);
                done++;
            }
        }
        catch
        {
            for (; done > 0; done--)
            {
                TryUnmountOnce(target);
            }

            throw;
        }
    }

    /// <summary>Unmounts everything stacked on <paramref name="target"/>; a target with nothing mounted is fine.</summary>
    public static void UnmountAll(string target)
    {
        for (int i = 0; i < 64; i++)
        {
            if (LibC.Umount2(target, LibC.UMOUNT_NOFOLLOW) == 0)
            {
                continue;
            }

            int errno = Marshal.GetLastPInvokeError();
            if (errno is LibC.EINVAL or LibC.ENOENT)
            {
                return; // not a mount point (any more)
            }

            // Busy (a process still has a file open): detach now, the kernel finishes when it is released.
            if (LibC.Umount2(target, LibC.MNT_DETACH | LibC.UMOUNT_NOFOLLOW) != 0)
            {
                throw new IOException($"cannot unmount {target}: {Marshal.GetPInvokeErrorMessage(errno)}");
            }
        }
    }

    /// <summary>Whether something is mounted exactly at <paramref name="path"/> (from /proc/self/mountinfo).</summary>
    public static bool IsMountPoint(string path) => MountTable.IsMountPoint(path);

    private static void Mount(RootfsMount mount, string target)
    {
        ulong flags = 0;
        var data = new List<string>();
        foreach (var option in mount.Options)
        {
            if (Flags.TryGetValue(option, out var flag))
            {
                flags = (flags | flag.Set) & ~flag.Clear;
            }
            else
            {
                data.Add(option);
            }
        }

        string? type = (flags & LibC.MS_BIND) != 0 ? null : mount.Type;
        string joined = string.Join(',', data);
        if (LibC.Mount(mount.Source, target, type, flags & ~LibC.MS_RDONLY, joined.Length == 0 ? null : joined) != 0)
        {
            throw new InvalidArgumentException(
                $"cannot mount rootfs {mount.Type} {mount.Source} at {target} ({string.Join(',', mount.Options)}): {SystemCallException.FromLastError("mount").Message}");
        }

        // A bind mount ignores MS_RDONLY on the first call; read-only takes a remount (as containerd does).
        if ((flags & LibC.MS_RDONLY) != 0)
        {
            const ulong Remount = 0x20;
            ulong remountFlags = Remount | LibC.MS_RDONLY | (flags & LibC.MS_BIND);
            if (LibC.Mount(mount.Source, target, type, remountFlags, (flags & LibC.MS_BIND) != 0 || joined.Length == 0 ? null : joined) != 0)
            {
                var error = SystemCallException.FromLastError("remount read-only");
                TryUnmountOnce(target);
                throw new InvalidArgumentException($"cannot make rootfs {mount.Source} at {target} read-only: {error.Message}");
            }
        }
    }

    private static void TryUnmountOnce(string target) => LibC.Umount2(target, LibC.MNT_DETACH | LibC.UMOUNT_NOFOLLOW);
}
