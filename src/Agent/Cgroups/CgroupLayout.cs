namespace Sealpod.Agent.Cgroups;

/// <summary>
/// Where a container's cgroup lives on disk. In the guest it is one directory of the unified
/// hierarchy; on a cgroup v1 host (where the tests run) each controller has its own hierarchy,
/// found from /proc/self/mountinfo.
/// </summary>
internal sealed class CgroupLayout
{
    private readonly IReadOnlyDictionary<string, string> _v1Hierarchies;

    private CgroupLayout(CgroupVersion version, string unifiedRoot, IReadOnlyDictionary<string, string> v1Hierarchies)
    {
        Version = version;
        UnifiedRoot = unifiedRoot;
        _v1Hierarchies = v1Hierarchies;
    }

    public CgroupVersion Version { get; }

    public string UnifiedRoot { get; }

    public static CgroupLayout Detect(string mountPoint, string mountInfoPath = "/proc/self/mountinfo")
    {
        if (File.Exists(Path.Combine(mountPoint, "cgroup.controllers")))
        {
            return new CgroupLayout(CgroupVersion.V2, mountPoint, new Dictionary<string, string>());
        }

        var hierarchies = new Dictionary<string, string>(StringComparer.Ordinal);
        if (File.Exists(mountInfoPath))
        {
            foreach (var line in File.ReadLines(mountInfoPath))
            {
                // id parent major:minor root mountpoint options [optional...] - fstype source superoptions
                var separator = line.IndexOf(" - ", StringComparison.Ordinal);
                if (separator < 0)
                {
                    continue;
                }

                var head = line[..separator].Split(' ');
                var tail = line[(separator + 3)..].Split(' ');
                if (head.Length < 5 || tail.Length < 3 || tail[0] != "cgroup")
                {
                    continue;
                }

                foreach (var option in tail[2].Split(','))
                {
                    hierarchies.TryAdd(option, head[4]);
                }
            }
        }

        return new CgroupLayout(CgroupVersion.V1, mountPoint, hierarchies);
    }

    /// <summary>
    /// The directory of <paramref name="cgroupPath"/> (absolute within the hierarchy, like the
    /// spec's cgroupsPath) for <paramref name="controller"/>; null if that v1 controller is not mounted.
    /// </summary>
    public string? Directory(string cgroupPath, string controller)
    {
        var relative = cgroupPath.TrimStart('/');
        if (Version == CgroupVersion.V2)
        {
            return Path.Combine(UnifiedRoot, relative);
        }

        return _v1Hierarchies.TryGetValue(controller, out var root) ? Path.Combine(root, relative) : null;
    }
}
