namespace Sealpod.Agent.Tests.Infrastructure;

/// <summary>
/// Removes a test's cgroup parent, depth first, from every hierarchy of this host (v1 controllers
/// and the hybrid unified one). runc deletes each container's own cgroups but not the parents it
/// created on the way.
/// </summary>
internal static class CgroupCleanup
{
    public static void RemoveParent(string cgroupMount, string parent)
    {
        var candidates = Directory.EnumerateDirectories(cgroupMount)
            .Select(hierarchy => Path.Combine(hierarchy, parent))
            .Append(Path.Combine(cgroupMount, parent));
        foreach (var directory in candidates.Where(Directory.Exists))
        {
            RemoveTree(directory);
        }
    }

    private static void RemoveTree(string directory)
    {
        foreach (var child in Directory.EnumerateDirectories(directory))
        {
            RemoveTree(child);
        }

        // cgroupfs directories hold only kernel files; rmdir is how they go.
        Directory.Delete(directory);
    }
}
