namespace Sealpod.Runtime.Cgroups;

/// <summary>
/// The levels every sandbox shares (<see cref="PodCgroupPath.DefaultParent"/>, <see cref="PodCgroupPath.OverheadParent"/>):
/// made by whichever sandbox comes first, so none of them records it, and removed by whichever goes last, once empty.
/// Making a sandbox's cgroups and removing the empty shared levels hold one lock (flock(2) on the directory that holds
/// the sandbox directories, shared by every shim and by <c>shim delete</c>; no file is made for it), or a level removed
/// between another sandbox's check and its mkdir would be made again by that mkdir, unrecorded and (v1) without cpus.
/// </summary>
public static class SharedCgroupParents
{
    /// <summary>Runs <paramref name="action"/> holding the lock of the directory that holds <paramref name="sandboxDirectory"/>.</summary>
    /// <exception cref="IOException">The directory could not be opened or locked; the message names it.</exception>
    public static T WithLock<T>(string sandboxDirectory, Func<T> action)
    {
        ArgumentException.ThrowIfNullOrEmpty(sandboxDirectory);
        ArgumentNullException.ThrowIfNull(action);
        string directory = Path.GetDirectoryName(Path.GetFullPath(sandboxDirectory).TrimEnd('/'))!;
        int fd = LibC.Open(directory, LibC.O_RDONLY | LibC.O_DIRECTORY | LibC.O_CLOEXEC, 0);
        if (fd < 0)
        {
            throw new IOException($"cannot open {directory} to lock the shared cgroup levels: {LibC.LastErrorText()}");
        }

        try
        {
            // Held only for a few mkdir/rmdir calls; released when the descriptor closes, also when the shim dies.
            while (LibC.Flock(fd, LibC.LOCK_EX) != 0)
            {
                int errno = Marshal.GetLastPInvokeError();
                if (errno != LibC.EINTR)
                {
                    throw new IOException($"cannot lock {directory} for the shared cgroup levels: {LibC.ErrorText(errno)}");
                }
            }

            return action();
        }
        finally
        {
            LibC.Close(fd);
        }
    }

    /// <summary>
    /// Removes the shared levels that hold no cgroup any more (call it holding <see cref="WithLock{T}"/>). A level still
    /// used, or busy, stays: another sandbox owns what is below it.
    /// </summary>
    public static void RemoveUnused(CgroupHierarchies hierarchies)
    {
        ArgumentNullException.ThrowIfNull(hierarchies);
        foreach (var level in new[] { PodCgroupPath.DefaultParent, PodCgroupPath.OverheadParent })
        {
            HostCgroup.RemoveIfUnused(hierarchies, level);
        }
    }
}
