using System.Globalization;

namespace Sealpod.Linux.Cgroups;

/// <summary>
/// One cgroup, at the same path in every hierarchy of the host (cgroupfs driver: plain directories, no systemd).
/// It knows which directories it created, so removal takes away only those, deepest first, with rmdir(2) alone:
/// a cgroup directory holds only kernel files and is never deleted recursively, and a level another manager
/// made (kubelet's /kubepods/...) stays.
/// </summary>
public sealed class HostCgroup
{
    private const int EBUSY = 16;
    private static readonly TimeSpan BusyRetry = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan BusyWait = TimeSpan.FromSeconds(2);

    private readonly List<string> _created;

    private HostCgroup(CgroupHierarchies hierarchies, string path, List<string> created)
    {
        Hierarchies = hierarchies;
        Path = path;
        _created = created;
    }

    public CgroupHierarchies Hierarchies { get; }

    /// <summary>The cgroup path, the same in every hierarchy.</summary>
    public string Path { get; }

    /// <summary>The directories this instance created, parents before children.</summary>
    public IReadOnlyList<string> CreatedDirectories => _created;

    /// <summary>
    /// Makes <paramref name="path"/> in every hierarchy (and the levels above it that are missing). A new v1 cpuset
    /// level, new or found empty, gets its parent's cpus and mems, without which the kernel lets no process in. On failure what was
    /// created is removed again.
    /// </summary>
    /// <exception cref="ArgumentException">The path is not a valid cgroup path.</exception>
    /// <exception cref="IOException">A directory or file could not be made or written; the message names it.</exception>
    public static HostCgroup Create(CgroupHierarchies hierarchies, string path)
    {
        ArgumentNullException.ThrowIfNull(hierarchies);
        path = CgroupPath.Validate(path);
        var created = new List<string>();
        try
        {
            foreach (var hierarchy in hierarchies.Hierarchies)
            {
                string current = hierarchy.MountPoint.TrimEnd('/');
                foreach (var part in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
                {
                    string parent = current;
                    current = current + "/" + part;
                    if (!Directory.Exists(current))
                    {
                        Wrap($"create cgroup {current}", () => Directory.CreateDirectory(current));
                        created.Add(current);
                    }

                    // A level someone else made (a kubelet's pod cgroup made by hand, say) may have empty cpus and mems
                    // too, and then nothing below it can take a process: fill each empty one from its parent, as runc does.
                    if (!hierarchy.Unified && hierarchy.Controllers.Contains("cpuset"))
                    {
                        InheritCpuset(parent, current);
                    }
                }
            }

            return new HostCgroup(hierarchies, path, created);
        }
        catch
        {
            RemoveDirectories(created);
            throw;
        }
    }

    /// <summary>Moves process <paramref name="pid"/>, all its threads, into this cgroup in every hierarchy.</summary>
    public void AddProcess(int pid)
    {
        foreach (var hierarchy in Hierarchies.Hierarchies)
        {
            WriteFile(System.IO.Path.Combine(hierarchy.DirectoryOf(Path), "cgroup.procs"), pid.ToString(CultureInfo.InvariantCulture));
        }
    }

    /// <summary>
    /// Moves one thread. v1 takes it through each hierarchy's <c>tasks</c>; cgroup v2 keeps every thread of a process in
    /// one domain cgroup, so there it only works inside a threaded subtree.
    /// </summary>
    public void AddThread(int tid)
    {
        foreach (var hierarchy in Hierarchies.Hierarchies)
        {
            WriteFile(System.IO.Path.Combine(hierarchy.DirectoryOf(Path), hierarchy.Unified ? "cgroup.threads" : "tasks"), tid.ToString(CultureInfo.InvariantCulture));
        }
    }

    /// <summary>The processes in this cgroup (the first hierarchy's view, the same in all).</summary>
    public IReadOnlyList<int> ProcessIds() => ReadIds("cgroup.procs");

    /// <summary>The threads in this cgroup (v1 <c>tasks</c>, v2 <c>cgroup.threads</c>).</summary>
    public IReadOnlyList<int> ThreadIds() => ReadIds(Hierarchies.Version == CgroupVersion.V1 ? "tasks" : "cgroup.threads");

    /// <summary>
    /// Writes <paramref name="value"/> to the file <paramref name="file"/> of <paramref name="controller"/>'s hierarchy
    /// (v2: the unified one, the controller enabled in the levels above first). Returns false when the controller is
    /// not mounted or not available.
    /// </summary>
    public bool Write(string controller, string file, string value)
    {
        var hierarchy = Hierarchies.With(controller).FirstOrDefault();
        if (hierarchy is null || (hierarchy.Unified && !EnableController(hierarchy, controller)))
        {
            return false;
        }

        WriteFile(System.IO.Path.Combine(hierarchy.DirectoryOf(Path), file), value);
        return true;
    }

    /// <summary>Removes the directories this instance created (see <see cref="RemoveDirectories"/>).</summary>
    /// <returns>What could not be removed, one sentence each.</returns>
    public IReadOnlyList<string> Remove() => RemoveDirectories(_created);

    /// <summary>
    /// Removes cgroup directories deepest first with rmdir(2) alone, waiting a little while one is still busy (a
    /// process just reaped leaves it a moment later). A directory already gone is no error; one that still has a child
    /// cgroup it did not ask to remove is left, since another sandbox shares it.
    /// </summary>
    /// <returns>What could not be removed, one sentence each.</returns>
    public static IReadOnlyList<string> RemoveDirectories(IEnumerable<string> directories)
    {
        ArgumentNullException.ThrowIfNull(directories);
        var problems = new List<string>();

        // One budget for the whole removal: a cgroup that stays busy is reported, not waited on per directory.
        var deadline = DateTime.UtcNow + BusyWait;
        foreach (var directory in directories.Distinct(StringComparer.Ordinal).OrderByDescending(d => d.Count(c => c == '/')).ThenByDescending(d => d, StringComparer.Ordinal))
        {
            if (HasChildCgroup(directory))
            {
                // A level shared with another sandbox (/sealpod, /sealpod_overhead) that still holds its cgroup. It
                // stays, empty once that one goes, as Kata's /kata_overhead does.
                continue;
            }

            while (true)
            {
                try
                {
                    // Not recursive: rmdir of a cgroup succeeds only once it has no process and no child.
                    Directory.Delete(directory, recursive: false);
                    break;
                }
                catch (DirectoryNotFoundException)
                {
                    break;
                }
                catch (IOException e) when (e.HResult == EBUSY && DateTime.UtcNow < deadline)
                {
                    Thread.Sleep(BusyRetry);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    problems.Add($"cannot remove cgroup {directory}: {e.Message}{Occupants(directory)}");
                    break;
                }
            }
        }

        return problems;
    }

    /// <summary>
    /// Removes <paramref name="path"/> in every hierarchy where it exists and has no child cgroup, with rmdir(2) alone; a
    /// level that is busy, not empty or gone is left without complaint (whoever still uses it removes it later).
    /// </summary>
    public static void RemoveIfUnused(CgroupHierarchies hierarchies, string path)
    {
        ArgumentNullException.ThrowIfNull(hierarchies);
        path = CgroupPath.Validate(path);
        foreach (var hierarchy in hierarchies.Hierarchies)
        {
            string directory = hierarchy.DirectoryOf(path);
            if (!Directory.Exists(directory) || HasChildCgroup(directory))
            {
                continue;
            }

            try
            {
                Directory.Delete(directory, recursive: false);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // EBUSY (a process in it), ENOTEMPTY (a child made meanwhile), ENOENT: someone else's level now.
            }
        }
    }

    private static bool HasChildCgroup(string directory)
    {
        try
        {
            return Directory.EnumerateDirectories(directory).Any();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private IReadOnlyList<int> ReadIds(string file)
    {
        string path = System.IO.Path.Combine(Hierarchies.Hierarchies[0].DirectoryOf(Path), file);
        return Wrap($"read {path}", () => File.ReadAllLines(path))
            .Where(l => l.Length > 0)
            .Select(l => int.Parse(l, NumberStyles.None, CultureInfo.InvariantCulture))
            .ToList();
    }

    // cgroup v2: a controller's files exist in a cgroup only when every level above enabled it for its children.
    private bool EnableController(CgroupHierarchy hierarchy, string controller)
    {
        string current = hierarchy.MountPoint.TrimEnd('/');
        foreach (var part in Path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            string available = Wrap($"read {current}/cgroup.controllers", () => File.ReadAllText(current + "/cgroup.controllers"));
            if (!available.Split(' ', '\n').Contains(controller, StringComparer.Ordinal))
            {
                return false;
            }

            string enabled = Wrap($"read {current}/cgroup.subtree_control", () => File.ReadAllText(current + "/cgroup.subtree_control"));
            if (!enabled.Split(' ', '\n').Contains(controller, StringComparer.Ordinal))
            {
                WriteFile(current + "/cgroup.subtree_control", "+" + controller);
            }

            current = current + "/" + part;
        }

        return true;
    }

    private static void InheritCpuset(string parent, string child)
    {
        foreach (var file in new[] { "cpuset.cpus", "cpuset.mems" })
        {
            string mine = System.IO.Path.Combine(child, file);
            if (File.Exists(mine) && Wrap($"read {mine}", () => File.ReadAllText(mine)).Trim().Length == 0)
            {
                string theirs = System.IO.Path.Combine(parent, file);
                WriteFile(mine, Wrap($"read {theirs}", () => File.ReadAllText(theirs)).Trim());
            }
        }
    }

    private static void WriteFile(string path, string value) => Wrap($"write '{value}' to {path}", () => File.WriteAllText(path, value));

    private static void Wrap(string what, Action action) => Wrap(what, () =>
    {
        action();
        return 0;
    });

    private static T Wrap<T>(string what, Func<T> action)
    {
        try
        {
            return action();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"cannot {what}: {e.Message}", e);
        }
    }

    private static string Occupants(string directory)
    {
        try
        {
            var procs = File.ReadAllText(System.IO.Path.Combine(directory, "cgroup.procs")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
            return procs.Length == 0 ? string.Empty : $" (still holds process(es) {string.Join(", ", procs)})";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return string.Empty;
        }
    }
}
