using Sealpod.Linux.Mounts;

namespace Sealpod.CriHarness;

/// <summary>
/// The pods' cgroups (cgroupfs driver), as a kubelet makes them: every pod gets cgroup_parent
/// <c>/PARENT/podUID</c> under the harness's own parent, and, like a kubelet, the harness removes the pod's cgroup
/// after RemovePodSandbox. rmdir refuses a cgroup that still holds a process or a child, so a pod that left something
/// running shows up here. Handles cgroup v1 (one directory per hierarchy) and v2 alike.
/// </summary>
public sealed class PodCgroups(string parent)
{
    /// <summary>The harness's parent cgroup, e.g. /sealpod-cri-1a2b3c4d.</summary>
    public string Parent => parent;

    public string PodCgroup(string podUid) => $"{parent}/pod{podUid}";

    /// <summary>The directories of <paramref name="cgroup"/> in every mounted hierarchy where it exists.</summary>
    public static IReadOnlyList<string> Directories(string cgroup) =>
        MountTable.Read()
            .Where(m => m.FileSystemType is "cgroup" or "cgroup2")
            .Select(m => m.MountPoint + cgroup)
            .Where(Directory.Exists)
            .Distinct(StringComparer.Ordinal)
            .ToList();

    /// <summary>
    /// Makes <paramref name="cgroup"/> in every mounted hierarchy, as a kubelet makes a pod's cgroup before RunPodSandbox
    /// (containerd's PodSandboxStats reads it; a VM runtime's QEMU joins it).
    /// </summary>
    public static void Create(string cgroup)
    {
        foreach (var hierarchy in MountTable.Read().Where(m => m.FileSystemType is "cgroup" or "cgroup2").Select(m => m.MountPoint).Distinct(StringComparer.Ordinal))
        {
            Directory.CreateDirectory(hierarchy + cgroup);
        }
    }

    /// <summary>Removes <paramref name="cgroup"/> and its children, deepest first; returns what could not be removed and why.</summary>
    public static IReadOnlyList<string> Remove(string cgroup)
    {
        var problems = new List<string>();
        foreach (var top in Directories(cgroup))
        {
            var all = Directory.EnumerateDirectories(top, "*", SearchOption.AllDirectories).Append(top).OrderByDescending(d => d.Length);
            foreach (var directory in all)
            {
                try
                {
                    // rmdir: a cgroup directory holds only its control files, which go with it.
                    Directory.Delete(directory, recursive: false);
                }
                catch (IOException error)
                {
                    string tasks = File.Exists(Path.Combine(directory, "cgroup.procs")) ? File.ReadAllText(Path.Combine(directory, "cgroup.procs")).Replace('\n', ' ') : string.Empty;
                    problems.Add($"cgroup {directory}: {error.Message} (processes: {tasks.Trim()})");
                }
            }
        }

        return problems;
    }
}
