using System.Diagnostics;

namespace Sealpod.Linux.Tests.Cgroups;

/// <summary>
/// Real cgroups on this host, under a test-only top level removed at the end: made in every hierarchy, joined by a
/// real process and one of its threads, removed leaf first while a level made beforehand stays.
/// </summary>
[Trait("Category", "Root")]
public sealed class HostCgroupTests : IDisposable
{
    private readonly string _top = "/sealpod-test-" + Guid.NewGuid().ToString("N")[..12];
    private readonly List<(CgroupHierarchies Hierarchies, string Path)> _made = [];

    [Fact]
    public void The_detected_host_hierarchies_take_a_process_and_give_back_every_directory_made()
    {
        var hierarchies = DetectTracked();
        var cgroup = HostCgroup.Create(hierarchies, _top + "/pod/sandbox");
        using var sleeper = Sleep();

        cgroup.AddProcess(sleeper.Id);

        Assert.Contains(sleeper.Id, cgroup.ProcessIds());
        var membership = File.ReadAllText($"/proc/{sleeper.Id}/cgroup");
        Assert.All(hierarchies.Hierarchies, h => Assert.Contains(h.Unified ? "0::" + cgroup.Path + "\n" : ":" + cgroup.Path + "\n", membership, StringComparison.Ordinal));
        Assert.Equal(3 * hierarchies.Hierarchies.Count, cgroup.CreatedDirectories.Count);

        // Occupied: rmdir refuses, and the error says who is in it.
        sleeper.Kill();
        sleeper.WaitForExit();
        Assert.Empty(cgroup.Remove());
        AssertInEveryHierarchy(hierarchies, _top, exists: false);
    }

    [Fact]
    public void A_level_that_existed_before_stays_and_an_occupied_cgroup_is_reported_not_forced()
    {
        var hierarchies = DetectTracked();
        var parent = HostCgroup.Create(hierarchies, _top);
        var child = HostCgroup.Create(hierarchies, _top + "/child");
        using var sleeper = Sleep();
        child.AddProcess(sleeper.Id);

        var problems = child.Remove();

        Assert.NotEmpty(problems);
        Assert.Contains(problems, p => p.Contains(sleeper.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal));
        parent.AddProcess(sleeper.Id);
        Assert.Empty(child.Remove());
        AssertInEveryHierarchy(hierarchies, _top + "/child", exists: false);
        AssertInEveryHierarchy(hierarchies, _top, exists: true);
        sleeper.Kill();
        sleeper.WaitForExit();
    }

    [Fact]
    public void A_level_another_cgroup_still_uses_is_not_removed()
    {
        var hierarchies = DetectTracked();
        var first = HostCgroup.Create(hierarchies, _top + "/a");
        var second = HostCgroup.Create(hierarchies, _top + "/b");

        Assert.Empty(first.Remove());
        AssertInEveryHierarchy(hierarchies, _top, exists: true);
        Assert.Empty(second.Remove());
        AssertInEveryHierarchy(hierarchies, _top + "/b", exists: false);
    }

    [Fact]
    public void A_shared_level_is_removed_once_unused_and_kept_while_a_cgroup_or_a_process_is_in_it()
    {
        // Two sandboxes under one shared level (as /sealpod): the first made it, so only its record named it.
        var hierarchies = DetectTracked();
        var first = HostCgroup.Create(hierarchies, _top + "/a");
        var second = HostCgroup.Create(hierarchies, _top + "/b");
        Assert.DoesNotContain(second.CreatedDirectories, d => d.EndsWith(_top, StringComparison.Ordinal));

        HostCgroup.RemoveIfUnused(hierarchies, _top);
        AssertInEveryHierarchy(hierarchies, _top, exists: true);

        Assert.Empty(first.Remove());
        AssertInEveryHierarchy(hierarchies, _top, exists: true, "b still uses the level");
        Assert.Empty(second.Remove());
        AssertInEveryHierarchy(hierarchies, _top, exists: true, "b did not make the level, so its record does not name it");

        // A process in the level itself: busy, left without an error.
        var level = HostCgroup.Create(hierarchies, _top);
        using (var sleeper = Sleep())
        {
            level.AddProcess(sleeper.Id);
            HostCgroup.RemoveIfUnused(hierarchies, _top);
            AssertInEveryHierarchy(hierarchies, _top, exists: true);
            sleeper.Kill();
            sleeper.WaitForExit();
        }

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        do
        {
            HostCgroup.RemoveIfUnused(hierarchies, _top);
        }
        while (hierarchies.Hierarchies.Any(h => Directory.Exists(h.DirectoryOf(_top))) && DateTime.UtcNow < deadline && SleepBriefly());

        AssertInEveryHierarchy(hierarchies, _top, exists: false);
    }

    private static bool SleepBriefly()
    {
        Thread.Sleep(50);
        return true;
    }

    [Fact]
    public void On_v1_a_single_thread_moves_through_tasks_and_a_new_cpuset_inherits_cpus_and_mems()
    {
        var hierarchies = CgroupHierarchies.Detect();
        if (hierarchies.Version != CgroupVersion.V1)
        {
            return; // The v2 path is the next test's.
        }

        Track(hierarchies, _top);
        var overhead = HostCgroup.Create(hierarchies, _top + "/overhead");
        var vcpus = HostCgroup.Create(hierarchies, _top + "/vcpus");
        int self = Environment.ProcessId;
        string original = File.ReadAllText("/proc/self/cgroup");
        int tid = 0;
        using var release = new ManualResetEventSlim();
        var thread = new Thread(() =>
        {
            Volatile.Write(ref tid, CurrentThreadId());
            release.Wait();
        }) { IsBackground = true };
        using var sleeper = Sleep();
        try
        {
            overhead.AddProcess(sleeper.Id);
            thread.Start();
            SpinWait.SpinUntil(() => Volatile.Read(ref tid) != 0, TimeSpan.FromSeconds(5));
            vcpus.AddThread(tid);

            Assert.Contains(tid, vcpus.ThreadIds());
            Assert.DoesNotContain(self, vcpus.ThreadIds());
            Assert.Contains(sleeper.Id, overhead.ProcessIds());
            var cpuset = Assert.Single(hierarchies.With("cpuset"));
            Assert.Equal(File.ReadAllText(Path.Combine(cpuset.MountPoint, "cpuset.cpus")).Trim(), File.ReadAllText(Path.Combine(cpuset.DirectoryOf(vcpus.Path), "cpuset.cpus")).Trim());
            Assert.True(vcpus.Write("cpuset", "cpuset.cpus", "0"));
            Assert.Equal("0", File.ReadAllText(Path.Combine(cpuset.DirectoryOf(vcpus.Path), "cpuset.cpus")).Trim());
            Assert.True(vcpus.Write("cpu", "cpu.cfs_quota_us", "50000"));
        }
        finally
        {
            // The thread goes back where this process was, so the test cgroups empty.
            foreach (var hierarchy in hierarchies.Hierarchies)
            {
                string path = original.Split('\n').Select(l => l.Split(':', 3)).First(f => f.Length == 3 && f[1].Split(',').Intersect(hierarchy.Controllers).Any())[2];
                File.WriteAllText(Path.Combine(hierarchy.DirectoryOf(path == "/" ? "/" : path), "tasks"), tid.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }

            sleeper.Kill();
            sleeper.WaitForExit();
            release.Set();
            thread.Join();
        }

        Assert.Empty(vcpus.Remove());
        Assert.Empty(overhead.Remove());
    }

    [Fact]
    public void On_v1_a_level_made_by_someone_else_with_an_empty_cpuset_is_filled_so_a_process_can_join_below_it()
    {
        var hierarchies = CgroupHierarchies.Detect();
        if (hierarchies.Version != CgroupVersion.V1 || !hierarchies.With("cpuset").Any())
        {
            return; // cgroup v2 has no per-level cpus and mems to fill.
        }

        Track(hierarchies, _top);
        var cpuset = Assert.Single(hierarchies.With("cpuset"));
        // As the CRI harness (or a hand-made pod cgroup) leaves it: a bare mkdir, cpus and mems empty.
        Directory.CreateDirectory(cpuset.DirectoryOf(_top));
        Assert.Equal(string.Empty, File.ReadAllText(Path.Combine(cpuset.DirectoryOf(_top), "cpuset.mems")).Trim());
        var pod = HostCgroup.Create(hierarchies, _top + "/pod");
        using var sleeper = Sleep();
        try
        {
            pod.AddProcess(sleeper.Id);

            Assert.Contains(sleeper.Id, pod.ProcessIds());
            Assert.Equal(File.ReadAllText(Path.Combine(cpuset.MountPoint, "cpuset.mems")).Trim(), File.ReadAllText(Path.Combine(cpuset.DirectoryOf(_top), "cpuset.mems")).Trim());
        }
        finally
        {
            // A failed join may have moved it into some hierarchies already: it must be gone before the cgroups can go.
            sleeper.Kill();
            sleeper.WaitForExit();
        }
    }

    [Fact]
    public void The_unified_hierarchy_takes_a_process_and_enables_a_controller_for_a_write()
    {
        // This host is hybrid: its cgroup2 mount (no controllers) still runs the v2 create, join and remove code.
        var cgroup2 = MountTable.Read().FirstOrDefault(m => m.FileSystemType == "cgroup2");
        if (cgroup2 is null)
        {
            return; // A v1-only host: the fixtures cover v2 detection.
        }

        var hierarchies = CgroupHierarchies.Unified(cgroup2!.MountPoint);
        Track(hierarchies, _top);
        var cgroup = HostCgroup.Create(hierarchies, _top + "/pod");
        using var sleeper = Sleep();

        cgroup.AddProcess(sleeper.Id);

        Assert.Contains(sleeper.Id, cgroup.ProcessIds());
        Assert.Contains("0::" + cgroup.Path + "\n", File.ReadAllText($"/proc/{sleeper.Id}/cgroup"), StringComparison.Ordinal);
        bool hasCpu = File.ReadAllText(Path.Combine(cgroup2.MountPoint, "cgroup.controllers")).Split(' ', '\n').Contains("cpu");
        Assert.Equal(hasCpu, cgroup.Write("cpu", "cpu.weight", "50"));
        sleeper.Kill();
        sleeper.WaitForExit();
        Assert.Empty(cgroup.Remove());
        Assert.False(Directory.Exists(hierarchies.Hierarchies[0].DirectoryOf(_top)));
    }

    public void Dispose()
    {
        // After a failed assertion: whatever is left of the test tree, deepest first; never a recursive delete.
        foreach (var (hierarchies, path) in _made)
        {
            foreach (var hierarchy in hierarchies.Hierarchies)
            {
                string top = hierarchy.DirectoryOf(path);
                if (Directory.Exists(top))
                {
                    HostCgroup.RemoveDirectories(Directory.EnumerateDirectories(top, "*", SearchOption.AllDirectories).Append(top));
                }
            }
        }
    }

    private void Track(CgroupHierarchies hierarchies, string path) => _made.Add((hierarchies, path));

    /// <summary>The host's hierarchies, with this test's top level recorded for <see cref="Dispose"/> to clean up.</summary>
    private CgroupHierarchies DetectTracked()
    {
        var hierarchies = CgroupHierarchies.Detect();
        Track(hierarchies, _top);
        return hierarchies;
    }

    private static void AssertInEveryHierarchy(CgroupHierarchies hierarchies, string path, bool exists, string? because = null) =>
        Assert.All(hierarchies.Hierarchies, h => Assert.True(Directory.Exists(h.DirectoryOf(path)) == exists, because ?? $"{h.DirectoryOf(path)} should {(exists ? "exist" : "be gone")}"));

    private static Process Sleep() => Process.Start(new ProcessStartInfo("sleep", "60") { UseShellExecute = false })!;

    // /proc/thread-self links to <pid>/task/<tid>.
    private static int CurrentThreadId() => int.Parse(Path.GetFileName(new DirectoryInfo("/proc/thread-self").LinkTarget!), System.Globalization.CultureInfo.InvariantCulture);
}
