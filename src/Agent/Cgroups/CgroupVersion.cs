namespace Sealpod.Agent.Cgroups;

internal enum CgroupVersion
{
    /// <summary>Per-controller hierarchies (cgroup v1), as on older hosts.</summary>
    V1,

    /// <summary>The unified hierarchy, as in the guest.</summary>
    V2,
}
