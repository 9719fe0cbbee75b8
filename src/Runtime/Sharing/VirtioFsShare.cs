namespace Sealpod.Runtime.Sharing;

/// <summary>
/// One sandbox's virtio-fs shared directory (<c>shared_fs = "virtio-fs"</c>), laid out as Kata's: containers' bind
/// mounts are bind-mounted under <c>mounts/</c>, and <c>shared/</c>, a read-only slave of it, is what virtiofsd
/// serves and the guest mounts at <see cref="GuestMountPoint"/> (tag <c>kataShared</c>).
/// </summary>
/// <remarks>
/// <c>mounts/</c> is made a shared mount of its own so every bind placed in it propagates to <c>shared/</c> and to
/// virtiofsd's private mount namespace (a copy of <c>shared/</c> taken when it started), whatever the host's own
/// propagation is. A read-only bind is made read-only, submounts included (mount_setattr), in <c>staging/</c> (private) before it is moved in: propagated
/// copies take the flags of the mount they copy, while a later remount would reach none of them. virtiofsd is
/// confined to <c>shared/</c> (its namespace sandbox), so links inside a shared tree resolve there, never on the host.
/// </remarks>
public sealed class VirtioFsShare : IDisposable
{
    /// <summary>Where the guest agent mounts the share (Kata's kataGuestSharedDir).</summary>
    public const string GuestMountPoint = GuestPaths.VirtioFsMountPoint;

    /// <summary>Kata's virtio-fs tag, which the QEMU driver sets on the vhost-user-fs device.</summary>
    public const string Tag = Vmm.VmSpec.VirtioFsTag;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, List<string>> _byContainer = new(StringComparer.Ordinal);
    private bool _disposed;

    private VirtioFsShare(string root)
    {
        Root = root;
    }

    /// <summary>The share's host directory (holds <c>mounts/</c>, <c>shared/</c> and <c>staging/</c>).</summary>
    public string Root { get; }

    /// <summary>The directory virtiofsd serves.</summary>
    public string SharedDirectory => Path.Combine(Root, "shared");

    private string MountsDirectory => Path.Combine(Root, "mounts");

    private string StagingDirectory => Path.Combine(Root, "staging");

    /// <summary>The storage that has the agent mount the share (Kata's "virtio-fs" storage) in CreateSandbox.</summary>
    public static Storage GuestStorage() => new()
    {
        Driver = "virtio-fs",
        Source = Tag,
        FsType = "virtiofs",
        MountPoint = GuestMountPoint,
    };

    /// <summary>Creates the layout under <paramref name="root"/> (which must not exist yet); nothing is left if it fails.</summary>
    public static VirtioFsShare Create(string root)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        if (Directory.Exists(root))
        {
            throw new AlreadyExistsException($"the shared directory {root} already exists");
        }

        var share = new VirtioFsShare(root);
        try
        {
            Directory.CreateDirectory(root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            Directory.CreateDirectory(share.MountsDirectory);
            Directory.CreateDirectory(share.SharedDirectory);
            Directory.CreateDirectory(share.StagingDirectory);

            // mounts/: its own shared peer group, so what is bound in it reaches shared/ and virtiofsd.
            Mount(share.MountsDirectory, share.MountsDirectory, LibC.MS_BIND, "bind the mounts directory");
            Mount("none", share.MountsDirectory, LibC.MS_SHARED, "make the mounts directory shared");

            // shared/: receives from mounts/, never sends back; read-only so the guest cannot create entries in it.
            Mount(share.MountsDirectory, share.SharedDirectory, LibC.MS_BIND, "bind the shared directory");
            Mount("none", share.SharedDirectory, LibC.MS_SLAVE, "make the shared directory a slave");
            Mount("none", share.SharedDirectory, LibC.MS_BIND | LibC.MS_REMOUNT | LibC.MS_RDONLY, "make the shared directory read-only");

            // staging/: private, so a bind made here may be moved (a mount under a shared parent cannot be).
            Mount(share.StagingDirectory, share.StagingDirectory, LibC.MS_BIND, "bind the staging directory");
            Mount("none", share.StagingDirectory, LibC.MS_PRIVATE, "make the staging directory private");
            return share;
        }
        catch
        {
            share.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Bind-mounts <paramref name="bind"/>'s host path under the share for <paramref name="containerId"/>. The host path
    /// is opened once (following a link at the path itself, as mount(2) would) and that very file is mounted.
    /// </summary>
    public void Add(string containerId, SharedBind bind)
    {
        ArgumentException.ThrowIfNullOrEmpty(containerId);
        ArgumentNullException.ThrowIfNull(bind);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var name = bind.Name;
            if (name.Length == 0 || name is "." or ".." || _byContainer.Values.Any(names => names.Contains(name)))
            {
                throw new InvalidArgumentException($"bind mount {bind.HostPath}: the shared name '{name}' is empty or already used");
            }

            var what = $"bind mount {bind.HostPath} -> {bind.GuestPath}";
            int source = LibC.Open(bind.HostPath, LibC.O_PATH | LibC.O_CLOEXEC, 0);
            if (source < 0)
            {
                throw new InvalidArgumentException($"{what}: the host path cannot be opened: {SystemCallException.FromLastError("open").Message}");
            }

            var staging = Path.Combine(StagingDirectory, name);
            var target = Path.Combine(MountsDirectory, name);
            try
            {
                var pinned = $"/proc/self/fd/{source}";
                var isDirectory = Directory.Exists(pinned);
                if (!isDirectory && !File.Exists(pinned))
                {
                    throw new InvalidArgumentException($"{what}: not a regular file or directory");
                }

                CreateMountPoint(staging, isDirectory);
                CreateMountPoint(target, isDirectory);
                Mount(pinned, staging, LibC.MS_BIND | (bind.Recursive ? LibC.MS_REC : 0), what);
                if (bind.ReadOnly)
                {
                    MakeReadOnly(staging, what);
                }

                Mount(staging, target, LibC.MS_MOVE, what + " (into the share)");
                RemoveMountPoint(staging);
            }
            catch
            {
                Unmount(staging);
                RemoveMountPoint(staging);
                Unmount(target);
                RemoveMountPoint(target);
                throw;
            }
            finally
            {
                LibC.Close(source);
            }

            if (!_byContainer.TryGetValue(containerId, out var names))
            {
                _byContainer[containerId] = names = [];
            }

            names.Add(name);
        }
    }

    /// <summary>Unmounts and removes everything shared for <paramref name="containerId"/>; safe to call when there is nothing.</summary>
    public void RemoveContainer(string containerId)
    {
        lock (_gate)
        {
            if (!_byContainer.Remove(containerId, out var names))
            {
                return;
            }

            foreach (var name in names)
            {
                var target = Path.Combine(MountsDirectory, name);
                Unmount(target);
                RemoveMountPoint(target);
            }
        }
    }

    /// <summary>Unmounts every container's binds and the share's own mounts, then removes the directories.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
        }

        foreach (var container in _byContainer.Keys.ToArray())
        {
            RemoveContainer(container);
        }

        foreach (var directory in (ReadOnlySpan<string>)[SharedDirectory, MountsDirectory, StagingDirectory])
        {
            Unmount(directory);
        }

        foreach (var directory in (ReadOnlySpan<string>)[SharedDirectory, MountsDirectory, StagingDirectory, Root])
        {
            RemoveMountPoint(directory);
        }
    }

    private static void CreateMountPoint(string path, bool directory)
    {
        if (directory)
        {
            Directory.CreateDirectory(path);
            return;
        }

        int fd = LibC.Open(path, LibC.O_CREAT | LibC.O_EXCL | LibC.O_NOFOLLOW | LibC.O_CLOEXEC | LibC.O_WRONLY, 0b110_000_000);
        if (fd < 0)
        {
            throw SystemCallException.FromLastError($"create {path}");
        }

        LibC.Close(fd);
    }

    private static void Mount(string source, string target, ulong flags, string what)
    {
        if (LibC.Mount(source, target, null, flags, null) != 0)
        {
            throw new InvalidArgumentException($"{what}: cannot mount {target}: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
        }
    }

    // The whole tree of a recursive bind: a remount would leave its submounts writable.
    private static void MakeReadOnly(string staging, string what)
    {
        try
        {
            ReadOnlyMount.ApplyRecursively(staging);
        }
        catch (SystemCallException e)
        {
            throw new InvalidArgumentException($"{what} (read-only): {e.Message}");
        }
    }

    // Best effort on cleanup paths: a busy mount is detached; "not mounted" is nothing to do.
    private static void Unmount(string target)
    {
        if (LibC.Umount2(target, LibC.UMOUNT_NOFOLLOW) != 0 && Marshal.GetLastPInvokeError() is not (LibC.EINVAL or LibC.ENOENT))
        {
            LibC.Umount2(target, LibC.MNT_DETACH | LibC.UMOUNT_NOFOLLOW);
        }
    }

    private static void RemoveMountPoint(string path)
    {
        try
        {
            if (Directory.Exists(path) && !File.GetAttributes(path).HasFlag(FileAttributes.ReparsePoint))
            {
                Directory.Delete(path);
            }
            else
            {
                File.Delete(path);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Still mounted (detached lazily) or not empty: nothing of ours to force.
        }
    }
}
