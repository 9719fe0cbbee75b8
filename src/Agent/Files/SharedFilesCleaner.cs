namespace Sealpod.Agent.Files;

/// <summary>
/// Removes the copies the host made with CopyFile for one container's bind mounts
/// (<c>&lt;root&gt;/&lt;container id&gt;</c>) once the container is gone, so neither they nor the memory they hold on
/// the guest's tmpfs outlive it. The host chose every name in there, symbolic links included, so nothing is ever
/// followed: the root is opened without crossing a link, and the tree is walked by descriptor, each entry opened
/// beneath its parent with links refused and unlinked relative to it. A link found on the way is removed, never
/// its target, and a directory swapped for a link mid-walk cannot redirect the removal.
/// </summary>
internal sealed class SharedFilesCleaner(string root)
{
    private const int DirectoryFlags = LibC.O_RDONLY | LibC.O_DIRECTORY | LibC.O_NOFOLLOW | LibC.O_CLOEXEC;
    private const ulong Resolve = LibC.RESOLVE_BENEATH | LibC.RESOLVE_NO_SYMLINKS | LibC.RESOLVE_NO_MAGICLINKS;

    /// <summary>Where the per-container directories are.</summary>
    public string Root { get; } = Path.GetFullPath(root).TrimEnd('/');

    /// <summary>Removes the container's directory and everything in it.</summary>
    /// <returns>False when there was none (the container had no bind mount copied in).</returns>
    /// <exception cref="Errors.InvalidArgumentException"><paramref name="containerId"/> is not a valid id.</exception>
    /// <exception cref="SystemCallException">An entry could not be removed (a mount point, for example).</exception>
    public bool Remove(string containerId)
    {
        var id = ContainerId.Validate(containerId);
        var rootFd = LibC.OpenAt2(LibC.AT_FDCWD, Root, DirectoryFlags, 0, LibC.RESOLVE_NO_SYMLINKS | LibC.RESOLVE_NO_MAGICLINKS);
        if (rootFd < 0)
        {
            var error = Marshal.GetLastPInvokeError();
            return error == LibC.ENOENT ? false : throw new SystemCallException("open", error, Root);
        }

        using var rootHandle = new SafeFileHandle(rootFd, ownsHandle: true);
        return RemoveEntry(rootFd, id, Root + "/" + id);
    }

    /// <summary>Removes <paramref name="name"/> in the directory <paramref name="parent"/>: a directory with its contents, anything else itself.</summary>
    private static bool RemoveEntry(int parent, string name, string path)
    {
        var fd = LibC.OpenAt2(parent, name, DirectoryFlags, 0, Resolve);
        if (fd < 0)
        {
            var error = Marshal.GetLastPInvokeError();
            return error switch
            {
                LibC.ENOENT => false,

                // Not a directory (a file, a FIFO) or a symbolic link: the entry itself goes, whatever it points to.
                LibC.ENOTDIR or LibC.ELOOP => Unlink(parent, name, 0, path),
                _ => throw new SystemCallException("open", error, path),
            };
        }

        using (var directory = new SafeFileHandle(fd, ownsHandle: true))
        {
            foreach (var entry in Entries(fd))
            {
                RemoveEntry(fd, entry, path + "/" + entry);
            }
        }

        return Unlink(parent, name, LibC.AT_REMOVEDIR, path);
    }

    /// <summary>The names in an open directory, read through its descriptor rather than its path (which could be replaced).</summary>
    private static List<string> Entries(int fd) =>
        Directory.EnumerateFileSystemEntries("/proc/self/fd/" + fd.ToString(CultureInfo.InvariantCulture))
            .Select(entry => Path.GetFileName(entry))
            .ToList();

    private static bool Unlink(int parent, string name, int flags, string path)
    {
        if (LibC.UnlinkAt(parent, name, flags) == 0)
        {
            return true;
        }

        var error = Marshal.GetLastPInvokeError();
        return error == LibC.ENOENT ? false : throw new SystemCallException(flags == LibC.AT_REMOVEDIR ? "rmdir" : "unlink", error, path);
    }
}
