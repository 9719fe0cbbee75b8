namespace Sealpod.Linux.Mounts;

/// <summary>
/// Removes a directory tree that may have mounts under it (a sandbox directory after a crash still holds the
/// virtio-fs binds of host volumes) without ever deleting through one: every mount under the tree is detached
/// first, deepest first, and the walk then removes entries relative to directory descriptors, never follows a
/// symbolic link, and does not enter a directory on another mount than the tree's root (a mount that could not
/// be detached, or one made meanwhile). What it had to leave is reported, together, at the end.
/// </summary>
public static class SafeTreeRemover
{
    /// <summary>
    /// Detaches the mounts at or under <paramref name="root"/> (strictly under it: the root's own mount is the
    /// tree being removed) and removes the tree. Nothing to do when it does not exist. Throws an
    /// <see cref="IOException"/> listing everything left behind.
    /// </summary>
    public static void Remove(string root)
    {
        var full = Path.GetFullPath(root);
        var problems = new List<string>();
        UnmountUnder(full, problems);
        RemoveTree(full, problems);
        ThrowIfAny(full, problems);
    }

    /// <summary>
    /// Detaches (MNT_DETACH: a busy mount goes at once and is freed when unused) every mount strictly under
    /// <paramref name="root"/>, deepest first, until none is left; mounts stacked on one point come off one by one.
    /// </summary>
    public static void UnmountUnder(string root, List<string> problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        var full = Path.GetFullPath(root).TrimEnd('/');
        var failed = new HashSet<int>();

        // Each pass takes off at least one mount or stops; the bound is only against a table that keeps changing.
        for (int pass = 0; pass < 64; pass++)
        {
            var under = MountTable.Read()
                .Where(m => m.MountPoint != full && m.IsAtOrUnder(full) && !failed.Contains(m.Id))
                .OrderByDescending(m => m.MountPoint.Count(c => c == '/'))
                .ThenByDescending(m => m.Id)
                .ToList();
            if (under.Count == 0)
            {
                return;
            }

            foreach (var mount in under)
            {
                if (LibC.Umount2(mount.MountPoint, LibC.MNT_DETACH | LibC.UMOUNT_NOFOLLOW) != 0)
                {
                    int errno = Marshal.GetLastPInvokeError();
                    if (errno is not (LibC.EINVAL or LibC.ENOENT))
                    {
                        // EINVAL: already gone with its parent; anything else stays mounted and the walk will not enter it.
                        failed.Add(mount.Id);
                        problems.Add($"cannot unmount {mount.MountPoint}: {LibC.ErrorText(errno)}");
                    }
                    else
                    {
                        failed.Add(mount.Id);
                    }
                }
            }
        }

        problems.Add($"mounts under {full} kept reappearing; the walk will not enter them");
    }

    /// <summary>
    /// Removes <paramref name="root"/> and what is under it on the root's own mount, relative to descriptors,
    /// without following links and without crossing into another mount (those are left, and reported).
    /// </summary>
    public static void RemoveTree(string root, List<string> problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        var full = Path.GetFullPath(root).TrimEnd('/');
        int fd = LibC.Open(full, LibC.O_RDONLY | LibC.O_DIRECTORY | LibC.O_NOFOLLOW | LibC.O_CLOEXEC, 0);
        if (fd < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            if (errno == LibC.ENOENT)
            {
                return;
            }

            if (errno is LibC.ENOTDIR or LibC.ELOOP)
            {
                // Not a directory (or a link, which is removed, never followed).
                Unlink(LibC.AT_FDCWD, full, 0, full, problems);
                return;
            }

            problems.Add($"cannot open {full}: {LibC.ErrorText(errno)}");
            return;
        }

        bool emptied;
        try
        {
            var identity = MountIdentity.Of(fd, full);
            emptied = Empty(fd, full, identity, problems);
        }
        finally
        {
            LibC.Close(fd);
        }

        if (emptied)
        {
            Unlink(LibC.AT_FDCWD, full, LibC.AT_REMOVEDIR, full, problems);
        }
    }

    // Empties the directory open as fd; true when everything in it is gone.
    private static unsafe bool Empty(int fd, string path, MountIdentity identity, List<string> problems)
    {
        bool complete = true;
        foreach (var (name, type) in List(fd, path, problems, ref complete))
        {
            string child = path + "/" + name;
            bool isDirectory = type == LibC.DT_DIR;
            if (type == LibC.DT_UNKNOWN)
            {
                Statx status;
                if (LibC.Statx(fd, name, LibC.AT_SYMLINK_NOFOLLOW, LibC.STATX_BASIC_STATS, &status) != 0)
                {
                    problems.Add($"cannot lstat {child}: {LibC.LastErrorText()}");
                    complete = false;
                    continue;
                }

                isDirectory = (status.Mode & LibC.S_IFMT) == LibC.S_IFDIR;
            }

            if (!isDirectory)
            {
                // Files, links, sockets, FIFOs, nodes: unlinkat removes the entry, never what a link points to.
                complete &= Unlink(fd, name, 0, child, problems);
                continue;
            }

            int childFd = LibC.OpenAt(fd, name, LibC.O_RDONLY | LibC.O_DIRECTORY | LibC.O_NOFOLLOW | LibC.O_CLOEXEC, 0);
            if (childFd < 0)
            {
                problems.Add($"cannot open {child}: {LibC.LastErrorText()}");
                complete = false;
                continue;
            }

            bool emptied;
            try
            {
                if (MountIdentity.Of(childFd, child) != identity)
                {
                    // Still a mount point: what is in it belongs to whatever is mounted there.
                    problems.Add($"{child} is a mount point; not removed");
                    complete = false;
                    continue;
                }

                emptied = Empty(childFd, child, identity, problems);
            }
            finally
            {
                LibC.Close(childFd);
            }

            complete &= emptied && Unlink(fd, name, LibC.AT_REMOVEDIR, child, problems);
        }

        return complete;
    }

    private static unsafe List<(string Name, byte Type)> List(int fd, string path, List<string> problems, ref bool complete)
    {
        var entries = new List<(string, byte)>();
        int streamFd = LibC.Dup(fd);
        if (streamFd < 0)
        {
            problems.Add($"cannot list {path}: dup: {LibC.LastErrorText()}");
            complete = false;
            return entries;
        }

        nint stream = LibC.FdOpenDir(streamFd);
        if (stream == 0)
        {
            problems.Add($"cannot list {path}: {LibC.LastErrorText()}");
            LibC.Close(streamFd);
            complete = false;
            return entries;
        }

        try
        {
            while (true)
            {
                byte* entry = LibC.ReadDir(stream);
                if (entry == null)
                {
                    int errno = Marshal.GetLastPInvokeError();
                    if (errno != 0)
                    {
                        problems.Add($"cannot list {path}: {LibC.ErrorText(errno)}");
                        complete = false;
                    }

                    return entries;
                }

                byte type = entry[LibC.DirentNameOffset - 1];
                var name = Encoding.UTF8.GetString(MemoryMarshal.CreateReadOnlySpanFromNullTerminated(entry + LibC.DirentNameOffset));
                if (name is not ("." or ".."))
                {
                    entries.Add((name, type));
                }
            }
        }
        finally
        {
            LibC.CloseDir(stream);
        }
    }

    private static bool Unlink(int directoryFd, string name, int flags, string path, List<string> problems)
    {
        if (LibC.UnlinkAt(directoryFd, name, flags) == 0)
        {
            return true;
        }

        int errno = Marshal.GetLastPInvokeError();
        if (errno == LibC.ENOENT)
        {
            return true;
        }

        problems.Add($"cannot remove {path}: {LibC.ErrorText(errno)}");
        return false;
    }

    private static void ThrowIfAny(string root, List<string> problems)
    {
        if (problems.Count > 0)
        {
            throw new IOException($"removing {root} left some of it behind: {string.Join("; ", problems)}");
        }
    }

    /// <summary>The device and mount id of an open directory: a bind from the same filesystem shares the device, not the mount id.</summary>
    private readonly record struct MountIdentity(uint DevMajor, uint DevMinor, ulong MountId)
    {
        public static unsafe MountIdentity Of(int fd, string path)
        {
            Statx status;
            if (LibC.Statx(fd, string.Empty, LibC.AT_EMPTY_PATH, LibC.STATX_BASIC_STATS | LibC.STATX_MNT_ID, &status) != 0)
            {
                throw SystemCallException.FromLastError("fstat", path);
            }

            // Kernels before 5.8 do not report the mount id: the device alone then.
            ulong mountId = (status.Mask & LibC.STATX_MNT_ID) != 0 ? status.MountId : 0;
            return new MountIdentity(status.DevMajor, status.DevMinor, mountId);
        }
    }
}
