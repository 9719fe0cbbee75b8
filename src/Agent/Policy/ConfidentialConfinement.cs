namespace Sealpod.Agent.Policy;

/// <summary>
/// What the host may make the agent touch in a confidential guest, where the host is not trusted: storages are mounted
/// only below the agent's storage roots, container bind mounts come only from those roots, the containers' shared
/// directory (what CopyFile wrote) and the devices a spec may name, a container's root is a storage, and other mounts
/// are the pseudo filesystems a container needs. So nothing the guest holds for itself (the Init-Data files, the
/// agent's state, /etc) can be mounted over or shown to a container the host reads the output of.
/// </summary>
/// <remarks>
/// Paths are checked as text (normalised, strictly below a root) and then on disk: no component below the root may
/// be a symbolic link, since a container can write links into an emptyDir or its own rootfs, and mount(2) and the OCI
/// runtime follow them. The on-disk check cannot close the race with a container that swaps a directory for a link in
/// between; that would need mounts by file descriptor (open_tree/move_mount).
/// </remarks>
internal sealed class ConfidentialConfinement
{
    /// <summary>Pseudo filesystems a container spec may mount (runc's template and Kubernetes' specs use only these).</summary>
    public static IReadOnlyList<string> PseudoFileSystems { get; } = ["proc", "sysfs", "tmpfs", "devpts", "mqueue", "cgroup", "cgroup2"];

    /// <summary>The devices every container gets from runc; a spec may bind them too.</summary>
    public static IReadOnlyList<string> DefaultDevices { get; } = ["null", "zero", "full", "random", "urandom", "tty"];

    private readonly string[] _storageRoots;
    private readonly string[] _bindRoots;
    private readonly string _devRoot;

    public ConfidentialConfinement(AgentOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _storageRoots = [Normal(options.StorageRoot), Normal(options.LocalStorageRoot)];
        _bindRoots = [Normal(options.SharedFilesRoot), .. _storageRoots];
        _devRoot = Normal(options.DevRoot);
    }

    /// <summary>The confinement <paramref name="options"/> ask for: null outside a confidential guest.</summary>
    public static ConfidentialConfinement? For(AgentOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Confidential ? new ConfidentialConfinement(options) : null;
    }

    public IReadOnlyList<string> StorageRoots => _storageRoots;

    /// <summary>
    /// A storage: its mount point and the directories an overlay names below a storage root, a disk named by path a
    /// node below the device root, and no bind mount (which would show any guest path under the mount point).
    /// </summary>
    public void CheckStorage(StorageSpec spec, string mountPoint)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.Driver == GuestPullNames.Driver && IsGuestPullRootfs(mountPoint))
        {
            // Kata's place for a rootfs pulled in the guest; the agent mounts only its own overlay there.
            return;
        }

        CheckStoragePath(mountPoint, "storage mount_point");
        var options = MountOptions.Parse(spec.Options);
        if (spec.Options.Any(option => option is "bind" or "rbind"))
        {
            throw new InvalidArgumentException($"storage for {mountPoint}: option bind is not allowed in a confidential guest");
        }

        if (spec.Driver is "blk" or "scsi" && spec.Source.StartsWith('/') && !IsBelowAny(spec.Source, [_devRoot], out _))
        {
            throw new InvalidArgumentException($"storage for {mountPoint}: source '{spec.Source}' is not below {_devRoot}: a disk is named by its device node");
        }

        if (spec.Driver == "overlayfs")
        {
            foreach (var key in (string[])["lowerdir", "upperdir", "workdir"])
            {
                foreach (var directory in (options.Get(key) ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
                {
                    CheckStoragePath(directory, $"storage for {mountPoint}: overlay {key}");
                }
            }
        }
    }

    /// <summary>A storage's mount point, or a directory its options name (<paramref name="what"/>), must be below a storage root.</summary>
    public void CheckStoragePath(string path, string what)
    {
        if (!IsBelowAny(path, _storageRoots, out var root))
        {
            throw new InvalidArgumentException(
                $"{what} '{path}' is outside the agent's storage roots ({string.Join(", ", _storageRoots)}): a confidential guest mounts storages nowhere else");
        }

        CheckNoLink(root, path, what);
    }

    /// <summary>The container's root filesystem, when the spec names an absolute one, must be below a storage root.</summary>
    public void CheckRoot(string path)
    {
        if (!IsGuestPullRootfs(path))
        {
            CheckStoragePath(path, "root.path");
        }
    }

    /// <summary>
    /// <c>/run/kata-containers/&lt;container id&gt;/rootfs</c>, where Kata mounts an image pulled in the guest; the id
    /// never names the directories Kata keeps there for the sandbox (shared, sandbox).
    /// </summary>
    public static bool IsGuestPullRootfs(string path)
    {
        var parts = (path ?? "").Split('/');
        return parts.Length == 5 && parts[0].Length == 0 && parts[1] == "run" && parts[2] == "kata-containers" && parts[4] == "rootfs"
            && parts[3] is { Length: > 0 and <= 128 } id && id is not ("shared" or "sandbox") && char.IsAsciiLetterOrDigit(id[0])
            && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-');
    }

    /// <summary>
    /// One OCI mount: a bind mount's source below the shared directory or a storage root, or a device the spec names
    /// (<paramref name="specDevices"/>, its <c>linux.devices</c> paths) or runc gives every container; any other mount
    /// a pseudo filesystem.
    /// </summary>
    public void CheckMount(OciMount mount, bool isBind, IReadOnlyCollection<string> specDevices, Func<string, bool> isDeviceNode)
    {
        ArgumentNullException.ThrowIfNull(mount);
        ArgumentNullException.ThrowIfNull(specDevices);
        ArgumentNullException.ThrowIfNull(isDeviceNode);
        if (!isBind)
        {
            if (!PseudoFileSystems.Contains(mount.Type ?? ""))
            {
                throw new InvalidArgumentException(
                    $"mounts: {mount.Destination} is a '{mount.Type}' mount: a confidential guest mounts only bind mounts and {string.Join(", ", PseudoFileSystems)} into containers");
            }

            return;
        }

        var source = mount.Source ?? "";
        var what = $"mounts: the bind mount source for {mount.Destination}";
        if (IsBelowAny(source, [_devRoot], out _))
        {
            var normal = Normal(source);
            var named = specDevices.Any(device => Normal(device) == normal)
                || DefaultDevices.Any(device => normal == _devRoot + "/" + device);
            if (!named || !isDeviceNode(normal))
            {
                throw new InvalidArgumentException(
                    $"{what} '{source}' is not a device node the spec names in linux.devices (or one of {_devRoot}/{{{string.Join(",", DefaultDevices)}}})");
            }

            return;
        }

        if (!IsBelowAny(source, _bindRoots, out var root))
        {
            throw new InvalidArgumentException(
                $"{what} '{source}' is outside {string.Join(", ", _bindRoots)}: a confidential guest binds only what CopyFile or a storage put there, and devices");
        }

        CheckNoLink(root, source, what);
    }

    private static bool IsBelowAny(string path, IEnumerable<string> roots, out string root)
    {
        root = "";
        if (string.IsNullOrEmpty(path) || !path.StartsWith('/') || path.Contains('\0', StringComparison.Ordinal))
        {
            return false;
        }

        var normal = Normal(path);
        foreach (var candidate in roots)
        {
            if (normal.StartsWith(candidate + "/", StringComparison.Ordinal))
            {
                root = candidate;
                return true;
            }
        }

        return false;
    }

    /// <summary>Refuses a symbolic link anywhere from below <paramref name="root"/> down to <paramref name="path"/>.</summary>
    private static void CheckNoLink(string root, string path, string what)
    {
        var current = root;
        foreach (var component in Normal(path)[(root.Length + 1)..].Split('/'))
        {
            current += "/" + component;
            var info = new FileInfo(current);
            if (info.LinkTarget is { } target)
            {
                throw new InvalidArgumentException($"{what} '{path}' passes through the symbolic link {current} (to {target})");
            }

            if (!info.Exists && !Directory.Exists(current))
            {
                return; // Nothing further down exists yet, so no link either.
            }
        }
    }

    private static string Normal(string path) => Path.GetFullPath(path).TrimEnd('/');
}
