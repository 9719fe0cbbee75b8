using System.Globalization;

namespace Sealpod.Agent.Tests.Infrastructure;

/// <summary>
/// Removes a test's cgroup parent, depth first, from every hierarchy of this host (v1 controllers
/// and the hybrid unified one). runc deletes each container's own cgroups but not the parents it
/// created on the way; after a failed test, processes may still be inside, and are killed first.
/// </summary>
internal static class CgroupCleanup
{
    public static void RemoveParent(string cgroupMount, string parent)
    {
        var candidates = Directory.EnumerateDirectories(cgroupMount)
            .Select(hierarchy => Path.Combine(hierarchy, parent))
            .Append(Path.Combine(cgroupMount, parent))
            .Where(Directory.Exists)
            .ToList();
        foreach (var directory in candidates)
        {
            KillMembers(directory);
        }

        foreach (var directory in candidates)
        {
            RemoveTree(directory);
        }
    }

    private static void KillMembers(string directory)
    {
        foreach (var procs in Directory.EnumerateFiles(directory, "cgroup.procs", SearchOption.AllDirectories))
        {
            foreach (var line in File.ReadAllLines(procs))
            {
                if (int.TryParse(line, NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
                {
                    LibC.Kill(pid, 9);
                }
            }
        }
    }

    private static void RemoveTree(string directory)
    {
        foreach (var child in Directory.EnumerateDirectories(directory))
        {
            RemoveTree(child);
        }

        // cgroupfs directories hold only kernel files; rmdir is how they go. A killed process
        // leaves its cgroup a moment after the signal.
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                Directory.Delete(directory);
                return;
            }
            catch (IOException) when (attempt < 50)
            {
                Thread.Sleep(20);
            }
        }
    }
}
