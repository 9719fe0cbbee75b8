namespace Sealpod.Runtime.Cgroups;

/// <summary>
/// The cgroup directories a sandbox created, one per line in <c>&lt;sandbox directory&gt;/cgroups</c>, written before any
/// process is moved: a shim killed with SIGKILL cannot remove them, and containerd's <c>shim delete</c> then does it
/// from this file. Only directories strictly inside a mounted cgroup hierarchy, with no <c>..</c>, are ever removed,
/// and only with rmdir(2).
/// </summary>
public static class HostCgroupRecord
{
    public const string FileName = "cgroups";

    public static void Write(string sandboxDirectory, IEnumerable<string> directories)
    {
        ArgumentException.ThrowIfNullOrEmpty(sandboxDirectory);
        File.WriteAllLines(Path.Combine(sandboxDirectory, FileName), directories);
    }

    /// <summary>
    /// Removes the directories recorded in <paramref name="sandboxDirectory"/> (nothing when there is no record), then the
    /// record once all are gone.
    /// </summary>
    /// <returns>What could not be removed or was refused, one sentence each.</returns>
    public static IReadOnlyList<string> RemoveRecorded(string sandboxDirectory, CgroupHierarchies? hierarchies = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(sandboxDirectory);
        string record = Path.Combine(sandboxDirectory, FileName);
        string[] lines;
        try
        {
            lines = File.ReadAllLines(record);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return [];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [$"cannot read {record}: {e.Message}"];
        }

        var problems = new List<string>();
        try
        {
            hierarchies ??= CgroupHierarchies.Detect();
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or FormatException)
        {
            return [$"cannot remove the cgroups recorded in {record}: {e.Message}"];
        }

        var directories = new List<string>();
        foreach (var line in lines.Where(l => l.Length > 0))
        {
            if (CgroupPath.IsValid(line, out var problem) && hierarchies.Contains(line))
            {
                directories.Add(line);
            }
            else
            {
                problems.Add($"{record}: '{line}' is not a cgroup directory inside a mounted hierarchy{(problem.Length > 0 ? " (" + problem + ")" : string.Empty)}; left alone");
            }
        }

        problems.AddRange(SharedCgroupParents.WithLock(sandboxDirectory, () =>
        {
            var left = HostCgroup.RemoveDirectories(directories);
            SharedCgroupParents.RemoveUnused(hierarchies);
            return left;
        }));
        if (problems.Count == 0)
        {
            File.Delete(record);
        }

        return problems;
    }
}
