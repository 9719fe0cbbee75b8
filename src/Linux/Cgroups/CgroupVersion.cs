namespace Sealpod.Linux.Cgroups;

/// <summary>Which cgroup interface the host's controllers are reached through.</summary>
public enum CgroupVersion
{
    /// <summary>One hierarchy per controller (or group of controllers); also a hybrid host, whose cgroup2 mount holds no controller.</summary>
    V1,

    /// <summary>The unified hierarchy: one tree, every controller.</summary>
    V2,
}
