namespace Sealpod.Runtime.Translation;

/// <summary>
/// What of a host spec the guest may use (Kata's constrainGRPCSpec): hooks name host binaries and are dropped;
/// namespace paths name host namespaces and are cleared, the cgroup and network namespaces are the VM's own;
/// host device nodes and device cgroup rules mean nothing in the guest; host labels and profiles are the
/// host's. A confidential guest shares no filesystem with the host (<c>shared_fs = "none"</c>), so bind
/// mounts become guest copies, as Kata does then: files, and read-only directories with everything below
/// them (<see cref="GuestCopy"/>). A read-write directory is refused, because the container's writes would
/// never reach the host; CRI's <c>/dev/shm</c> becomes a tmpfs of the guest's. With <c>shared_fs = "virtio-fs"</c>
/// (<see cref="ApplyShared"/>) bind mounts are shared instead, as in Kata: files and directories, read-write or
/// read-only, each bound under the sandbox's shared directory and mounted from the guest's view of it.
/// </summary>
public static class GuestSpecPolicy
{
    /// <summary>At most this many bytes are copied for one bind mount (they live in guest memory).</summary>
    public const long MaxSharedBytes = 16 << 20;

    /// <summary>At most this many files, directories and links are copied for one bind mount.</summary>
    public const int MaxSharedEntries = 4096;

    /// <summary>The guest directory under which a container's copied files live.</summary>
    public static string SharedDirectory(string containerId) => GuestPaths.SharedDirectory(containerId);

    /// <summary>
    /// Applies the policy: returns the spec the guest gets, the bind mounts to copy and a note per thing that was
    /// dropped or changed. <paramref name="readHostPath"/> reads a bind mount's source (<see cref="HostTree.Read"/>).
    /// Throws <see cref="InvalidArgumentException"/> naming the mount when a bind mount cannot be given to the guest.
    /// </summary>
    public static (OciSpec Spec, IReadOnlyList<GuestCopy> Shares, IReadOnlyList<string> Notes) Apply(
        OciSpec spec, string containerId, string guestRootfs, bool disableGuestSeccomp, Func<string, int, HostTree> readHostPath)
    {
        ArgumentNullException.ThrowIfNull(readHostPath);
        return ApplySharing(
            spec, guestRootfs, disableGuestSeccomp, (mount, index, notes) => Share(mount, containerId, index, readHostPath, notes), share => share.GuestPath);
    }

    /// <summary>
    /// Applies the policy for a sandbox that shares a filesystem with its guest over virtio-fs: everything as
    /// <see cref="Apply"/>, except that bind mounts of files and directories (read-write or read-only) become
    /// <see cref="SharedBind"/>s, and the OCI mount's source the guest path under
    /// <see cref="VirtioFsShare.GuestMountPoint"/>. <paramref name="statHostPath"/> says what a source is
    /// (<see cref="HostTree.Read"/> with no entries walked). Nothing is mounted here.
    /// </summary>
    public static (OciSpec Spec, IReadOnlyList<SharedBind> Binds, IReadOnlyList<string> Notes) ApplyShared(
        OciSpec spec, string containerId, string guestRootfs, bool disableGuestSeccomp, Func<string, int, HostTree> statHostPath)
    {
        ArgumentNullException.ThrowIfNull(statHostPath);
        return ApplySharing(
            spec, guestRootfs, disableGuestSeccomp, (mount, index, notes) => ShareOverVirtioFs(mount, containerId, index, statHostPath, notes), bind => bind.GuestPath);
    }

    /// <summary>
    /// <see cref="ApplyCore"/> with the bind mounts shared by <paramref name="share"/> (given the mount and how many were
    /// shared before it), collected in order; a mount it returns null for is left out.
    /// </summary>
    private static (OciSpec Spec, IReadOnlyList<T> Shared, IReadOnlyList<string> Notes) ApplySharing<T>(
        OciSpec spec, string guestRootfs, bool disableGuestSeccomp, Func<OciMount, int, List<string>, T?> share, Func<T, string> guestPath)
        where T : class
    {
        var shared = new List<T>();
        var (guest, notes) = ApplyCore(spec, guestRootfs, disableGuestSeccomp, (mount, notes) =>
        {
            if (share(mount, shared.Count, notes) is not { } item)
            {
                return null;
            }

            shared.Add(item);
            return guestPath(item);
        });
        return (guest, shared, notes);
    }

    /// <summary>
    /// Everything but the bind mounts' sharing, which <paramref name="share"/> does: it returns the guest source of a
    /// bind mount, or null to leave the mount out (with a note).
    /// </summary>
    private static (OciSpec Spec, List<string> Notes) ApplyCore(OciSpec spec, string guestRootfs, bool disableGuestSeccomp, Func<OciMount, List<string>, string?> share)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var notes = new List<string>();

        if (spec.Hooks is not null)
        {
            notes.Add("hooks (they run host binaries)");
        }

        var mounts = new List<OciMount>(spec.Mounts.Count);
        foreach (var mount in spec.Mounts)
        {
            if (!IsBind(mount))
            {
                mounts.Add(mount);
            }
            else if (EmptyDirVolume(mount.Source) is { } volume)
            {
                // As Kata (disable_guest_empty_dir = false): a Kubernetes emptyDir lives in the guest, a directory every
                // container of the pod mounts, instead of a host directory the guest could not write back to.
                mounts.Add(mount with { Source = $"{EmptyDirRoot}/{volume}" });
            }
            else if (mount.Destination == "/dev/shm")
            {
                // CRI binds the sandbox's shm directory; in the VM the container gets a tmpfs of its own.
                notes.Add($"bind mount {mount.Source} -> /dev/shm (a tmpfs in the guest instead)");
                mounts.Add(GuestShm);
            }
            else if (share(mount, notes) is { } guestSource)
            {
                mounts.Add(mount with { Source = guestSource });
            }
        }

        var guest = spec with
        {
            Hooks = null,
            Root = new OciRoot { Path = guestRootfs, Readonly = spec.Root?.Readonly ?? false },
            Process = spec.Process is { } process ? process with { ApparmorProfile = string.Empty, SelinuxLabel = string.Empty } : null,
            Linux = spec.Linux is { } linux ? GuestLinux(linux, disableGuestSeccomp) : null,
            Mounts = mounts,
        };
        return (guest, notes);
    }

    // Namespace paths name the host's namespaces; the network and cgroup namespaces are the VM's own.
    private static OciLinux GuestLinux(OciLinux linux, bool disableGuestSeccomp) => linux with
    {
        Namespaces = linux.Namespaces.Where(ns => ns.Type is not ("network" or "cgroup")).Select(ns => ns with { Path = string.Empty }).ToList(),
        Devices = [],
        Resources = linux.Resources is { } resources ? resources with { Devices = [] } : null,
        MountLabel = string.Empty,
        Seccomp = disableGuestSeccomp ? null : linux.Seccomp,
    };

    private static SharedBind? ShareOverVirtioFs(OciMount mount, string containerId, int index, Func<string, int, HostTree> statHostPath, List<string> notes)
    {
        // virtiofsd serves files and directories; a socket or device node would not work across the VM boundary.
        if (ReadBindSource(mount, statHostPath, 0, "cannot be shared with the guest", notes) is null)
        {
            return null;
        }

        // Named like Kata's (<container>-<unique>-<base name>); the index keeps two binds of the same name apart.
        string file = SafeName(Path.GetFileName(mount.Destination.TrimEnd('/')));
        return new SharedBind(
            mount.Source,
            $"{VirtioFsShare.GuestMountPoint}/{containerId}-{index}-{(file.Length > 0 ? file : "root")}",
            mount.Options.Contains("ro"),
            mount.Options.Contains("rbind"));
    }

    // The name becomes one path component on the host and in the guest: keep it to a plain, short file name.
    private static string SafeName(string name)
    {
        var safe = new string(name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '_').ToArray());
        safe = safe.TrimStart('.');
        return safe.Length > 64 ? safe[..64] : safe;
    }

    private static string BindName(OciMount mount) => $"bind mount {mount.Source} -> {mount.Destination}";

    /// <summary>
    /// The bind's host path as <paramref name="readHostPath"/> finds it; a path that cannot be read fails the create,
    /// while a socket or device node gets a note and null: as in Kata, a limitation of the VM boundary, not an error.
    /// </summary>
    private static HostTree? ReadBindSource(OciMount mount, Func<string, int, HostTree> readHostPath, int maxEntries, string whyNot, List<string> notes)
    {
        var tree = readHostPath(mount.Source, maxEntries);
        switch (tree.Kind)
        {
            case HostTreeKind.Missing:
                throw new InvalidArgumentException($"{BindName(mount)}: the host path cannot be read: {tree.Error}");
            case HostTreeKind.Other:
                notes.Add($"{BindName(mount)} (not a regular file or directory: {whyNot})");
                return null;
            default:
                return tree;
        }
    }

    private static GuestCopy? Share(OciMount mount, string containerId, int index, Func<string, int, HostTree> readHostPath, List<string> notes)
    {
        string name = BindName(mount);
        bool readOnly = mount.Options.Contains("ro");
        if (ReadBindSource(mount, readHostPath, MaxSharedEntries, "nothing to copy into the guest", notes) is not { } tree)
        {
            return null;
        }

        if (tree.Kind == HostTreeKind.Directory && !readOnly)
        {
            throw new InvalidArgumentException(
                $"{name}: a read-write host directory cannot be given to the guest: it shares no filesystem with the host (shared_fs = \"none\"), " +
                "so the container would get a copy and its writes would never reach the host; mount it read-only (option \"ro\") to have it copied");
        }

        if (tree.Error is not null)
        {
            throw new InvalidArgumentException($"{name}: the host directory cannot be read: {tree.Error}");
        }

        if (tree.Truncated)
        {
            throw new InvalidArgumentException($"{name}: more than {MaxSharedEntries} files and directories to copy into the guest");
        }

        if (tree.Bytes > MaxSharedBytes)
        {
            throw new InvalidArgumentException($"{name}: {tree.Bytes} bytes to copy into the guest, over the {MaxSharedBytes}-byte limit (the copy lives in guest memory)");
        }

        notes.AddRange(tree.Skipped.Select(s => $"{name}: {s}"));
        string file = Path.GetFileName(mount.Destination.TrimEnd('/'));
        return new GuestCopy(tree, $"{SharedDirectory(containerId)}/{index}-{(file.Length > 0 ? file : "root")}", readOnly);
    }

    /// <summary>Where the guest keeps the pod's emptyDir volumes (Kata's local storages).</summary>
    public const string EmptyDirRoot = GuestPaths.LocalStorageRoot;

    /// <summary>
    /// The guest storages the prepared spec's emptyDir mounts need: one "local" storage per volume, which the agent
    /// reference counts across the pod's containers (mode 0777, as Kata creates them).
    /// </summary>
    public static IReadOnlyList<Storage> EmptyDirStorages(OciSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return spec.Mounts
            .Where(m => m.Source.StartsWith(EmptyDirRoot + "/", StringComparison.Ordinal))
            .Select(m => m.Source)
            .Distinct(StringComparer.Ordinal)
            .Select(path => new Storage { Driver = "local", Source = "local", FsType = "local", MountPoint = path, Options = ["mode=0777"] })
            .ToList();
    }

    /// <summary>
    /// The volume name of a kubelet emptyDir source (<c>.../volumes/kubernetes.io~empty-dir/NAME</c>), or null for any
    /// other path. A name that is not one plain path component is refused rather than used in a guest path.
    /// </summary>
    internal static string? EmptyDirVolume(string source)
    {
        const string Marker = "/kubernetes.io~empty-dir/";
        int at = source.IndexOf(Marker, StringComparison.Ordinal);
        if (at < 0)
        {
            return null;
        }

        string name = source[(at + Marker.Length)..].TrimEnd('/');
        if (name.Length == 0 || name.Length > 255 || name is "." or ".." || name.Contains('/', StringComparison.Ordinal)
            || name.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')))
        {
            throw new InvalidArgumentException($"bind mount {source}: an emptyDir volume name must be one path component of letters, digits, '-', '_' or '.', not '{name}'");
        }

        return name;
    }

    private static readonly OciMount GuestShm = new()
    {
        Destination = "/dev/shm",
        Type = "tmpfs",
        Source = "shm",
        Options = ["nosuid", "noexec", "nodev", "mode=1777", "size=65536k"],
    };

    private static bool IsBind(OciMount mount) =>
        mount.Type == "bind" || mount.Options.Contains("bind") || mount.Options.Contains("rbind");
}
