using Sealpod.Linux.Mounts;

namespace Sealpod.Linux.Cgroups;

/// <summary>
/// The host's cgroup hierarchies, found in /proc/self/mountinfo rather than assumed at /sys/fs/cgroup: a host with
/// any v1 controller hierarchy mounted is driven through v1 (a hybrid host's cgroup2 mount holds no controller, as
/// runc and Kata treat it), a host with only a cgroup2 mount through the unified hierarchy.
/// </summary>
public sealed record CgroupHierarchies(CgroupVersion Version, IReadOnlyList<CgroupHierarchy> Hierarchies)
{
    // The v1 controllers the kernel knows; anything else in a cgroup mount's options is a mount option.
    private static readonly HashSet<string> KnownControllers = new(StringComparer.Ordinal)
    {
        "cpu", "cpuacct", "cpuset", "memory", "devices", "freezer", "net_cls", "net_prio", "blkio", "perf_event", "hugetlb", "pids", "rdma", "misc",
    };

    /// <summary>Reads <paramref name="mountInfo"/> (this process's mount table by default).</summary>
    /// <exception cref="InvalidOperationException">No cgroup hierarchy is mounted.</exception>
    public static CgroupHierarchies Detect(string mountInfo = MountTable.SelfMountInfo) => FromMounts(MountTable.Read(mountInfo), mountInfo);

    /// <summary>The hierarchies among <paramref name="mounts"/>; <paramref name="source"/> names them in errors.</summary>
    /// <exception cref="InvalidOperationException">No cgroup hierarchy is mounted.</exception>
    public static CgroupHierarchies FromMounts(IEnumerable<MountEntry> mounts, string source = MountTable.SelfMountInfo)
    {
        ArgumentNullException.ThrowIfNull(mounts);
        var v1 = new List<CgroupHierarchy>();
        CgroupHierarchy? unified = null;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var mount in mounts)
        {
            // The same hierarchy mounted twice (a bind, a container's view) is joined once, at its first mount.
            if (mount.FileSystemType == "cgroup2")
            {
                unified ??= new CgroupHierarchy(mount.MountPoint, new HashSet<string>(), Unified: true);
            }
            else if (mount.FileSystemType == "cgroup")
            {
                var controllers = mount.SuperOptions.Split(',')
                    .Where(o => KnownControllers.Contains(o) || o.StartsWith("name=", StringComparison.Ordinal))
                    .ToHashSet(StringComparer.Ordinal);
                string key = string.Join(',', controllers.Order(StringComparer.Ordinal));
                if (controllers.Count > 0 && seen.Add(key))
                {
                    v1.Add(new CgroupHierarchy(mount.MountPoint, controllers, Unified: false));
                }
            }
        }

        if (v1.Any(h => h.Controllers.Any(KnownControllers.Contains)))
        {
            return new CgroupHierarchies(CgroupVersion.V1, v1);
        }

        return unified is not null
            ? new CgroupHierarchies(CgroupVersion.V2, [unified])
            : throw new InvalidOperationException($"{source}: no cgroup hierarchy is mounted (neither cgroup v1 controllers nor cgroup2)");
    }

    /// <summary>A host seen through one cgroup2 mount (tests use a hybrid host's unified mount this way).</summary>
    public static CgroupHierarchies Unified(string mountPoint) =>
        new(CgroupVersion.V2, [new CgroupHierarchy(mountPoint, new HashSet<string>(), Unified: true)]);

    /// <summary>The hierarchies that carry <paramref name="controller"/>: one, or none when it is not mounted.</summary>
    public IEnumerable<CgroupHierarchy> With(string controller) => Hierarchies.Where(h => h.Has(controller));

    /// <summary>Whether <paramref name="directory"/> lies strictly inside one of the hierarchies (not a mount point itself).</summary>
    public bool Contains(string directory) =>
        Hierarchies.Any(h => directory.StartsWith(h.MountPoint.TrimEnd('/') + "/", StringComparison.Ordinal));
}
