using Sealpod.Agent.Cgroups;

namespace Sealpod.Agent.Tests;

/// <summary>
/// cgroup v2 parsing and OOM notification. This host runs cgroup v1 (the container tests cover
/// that for real); the guest's unified hierarchy is laid out here as files in a temporary folder
/// with the kernel's formats, and inotify on them is real.
/// </summary>
public sealed class CgroupTests : TempDirectoryTest
{
    public CgroupTests()
        : base("sealpod-cgroup-")
    {
        Directory.CreateDirectory(Temp.Combine("sealpod", "c1"));
        File.WriteAllText(Temp.Combine("cgroup.controllers"), "cpuset cpu io memory hugetlb pids rdma misc\n");
    }

    [Fact]
    public void Unified_hierarchy_stats_are_read_in_kata_units()
    {
        Write("cpu.stat", "usage_usec 2500\nuser_usec 2000\nsystem_usec 500\nnr_periods 10\nnr_throttled 3\nthrottled_usec 40\n");
        Write("memory.current", "1048576\n");
        Write("memory.peak", "2097152\n");
        Write("memory.max", "max\n");
        Write("memory.stat", "anon 4096\nfile 8192\n");
        Write("memory.events", "low 0\nhigh 0\nmax 7\noom 1\noom_kill 1\n");
        Write("pids.current", "3\n");
        Write("pids.max", "100\n");
        var layout = CgroupLayout.Detect(Temp.Path);

        var stats = new CgroupStatsReader(layout).Read("/sealpod/c1");

        Assert.Equal(CgroupVersion.V2, layout.Version);
        Assert.Equal(2_500_000UL, stats.CpuTotalNanoseconds);
        Assert.Equal(2_000_000UL, stats.CpuUserNanoseconds);
        Assert.Equal(500_000UL, stats.CpuKernelNanoseconds);
        Assert.Equal(3UL, stats.ThrottledPeriods);
        Assert.Equal(40_000UL, stats.ThrottledNanoseconds);
        Assert.Equal(1_048_576UL, stats.MemoryUsage);
        Assert.Equal(2_097_152UL, stats.MemoryMaxUsage);
        Assert.Equal(ulong.MaxValue, stats.MemoryLimit);
        Assert.Equal(7UL, stats.MemoryFailCount);
        Assert.Equal(8192UL, stats.MemoryCache);
        Assert.Equal(3UL, stats.PidsCurrent);
        Assert.Equal(100UL, stats.PidsLimit);
    }

    [Fact]
    public async Task An_oom_kill_counted_in_memory_events_is_reported_once()
    {
        Write("memory.events", "low 0\nhigh 0\nmax 0\noom 0\noom_kill 2\n");
        await using var watcher = new OomWatcher(CgroupLayout.Detect(Temp.Path), TestProcess.Poller);
        watcher.Watch("c1", "/sealpod/c1");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        Write("memory.events", "low 0\nhigh 0\nmax 1\noom 1\noom_kill 2\n");
        watcher.Check();
        Write("memory.events", "low 0\nhigh 0\nmax 2\noom 2\noom_kill 3\n");

        Assert.Equal("c1", await watcher.NextAsync(timeout.Token));

        // Events queue in order: had the change without a kill been reported, a second one would wait here.
        using var nothingMore = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await watcher.NextAsync(nothingMore.Token));
    }
    private void Write(string file, string content) => File.WriteAllText(Temp.Combine("sealpod", "c1", file), content);
}
