namespace Sealpod.Linux.Cgroups;

/// <summary>One mounted cgroup hierarchy.</summary>
/// <param name="MountPoint">Where it is mounted (/sys/fs/cgroup/cpu, /sys/fs/cgroup ...).</param>
/// <param name="Controllers">The v1 controllers it carries (cpu, cpuset, name=systemd ...); empty for the unified hierarchy.</param>
/// <param name="Unified">Whether it is the cgroup2 hierarchy.</param>
public sealed record CgroupHierarchy(string MountPoint, IReadOnlySet<string> Controllers, bool Unified)
{
    /// <summary>The directory of cgroup <paramref name="cgroupPath"/> (absolute, validated) in this hierarchy.</summary>
    public string DirectoryOf(string cgroupPath) => cgroupPath == "/" ? MountPoint : MountPoint.TrimEnd('/') + cgroupPath;

    /// <summary>Whether this hierarchy carries <paramref name="controller"/> (a cgroup2 hierarchy carries them all).</summary>
    public bool Has(string controller) => Unified || Controllers.Contains(controller);
}
