using Sealpod.AgentClient.Model;
using Sealpod.Protos.Cgroups.V1;
using Metrics = Sealpod.Protos.Cgroups.V1.Metrics;

namespace Sealpod.Shim.Translation;

/// <summary>
/// The agent's container statistics as containerd's cgroup v1 <c>Metrics</c> (what <c>ctr task metrics</c>
/// and CRI read), following Kata's metrics.go: figures are the guest's cgroup, not the host's.
/// </summary>
public static class MetricsTranslator
{
    public static Metrics ToCgroupsV1(ContainerStats stats)
    {
        ArgumentNullException.ThrowIfNull(stats);
        var metrics = new Metrics();
        var cgroup = stats.Cgroup;
        if (cgroup is not null)
        {
            foreach (var (pageSize, hugetlb) in cgroup.Hugetlb.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                metrics.Hugetlb.Add(new HugetlbStat { Pagesize = pageSize, Usage = hugetlb.Usage, Max = hugetlb.MaxUsage, Failcnt = hugetlb.Failcnt });
            }

            if (cgroup.Pids is { } pids)
            {
                metrics.Pids = new PidsStat { Current = pids.Current, Limit = pids.Limit };
            }

            if (cgroup.Cpu is { } cpu)
            {
                metrics.Cpu = Cpu(cpu);
            }

            if (cgroup.Memory is { } memory)
            {
                metrics.Memory = Memory(memory);
            }

            if (cgroup.Blkio is { } blkio)
            {
                metrics.Blkio = Blkio(blkio);
            }
        }

        foreach (var net in stats.Network)
        {
            metrics.Network.Add(new NetworkStat
            {
                Name = net.Name,
                RxBytes = net.RxBytes,
                RxPackets = net.RxPackets,
                RxErrors = net.RxErrors,
                RxDropped = net.RxDropped,
                TxBytes = net.TxBytes,
                TxPackets = net.TxPackets,
                TxErrors = net.TxErrors,
                TxDropped = net.TxDropped,
            });
        }

        return metrics;
    }

    private static CPUStat Cpu(CpuStats cpu)
    {
        var stat = new CPUStat();
        if (cpu.Usage is { } usage)
        {
            stat.Usage = new CPUUsage { Total = usage.Total, Kernel = usage.Kernel, User = usage.User };
            stat.Usage.PerCpu.AddRange(usage.PerCpu);
        }

        if (cpu.Throttling is { } throttling)
        {
            stat.Throttling = new Throttle { Periods = throttling.Periods, ThrottledPeriods = throttling.ThrottledPeriods, ThrottledTime = throttling.ThrottledTime };
        }

        return stat;
    }

    private static MemoryStat Memory(MemoryStats memory)
    {
        ulong Stat(string key) => memory.Stats.TryGetValue(key, out ulong value) ? value : 0;
        var stat = new MemoryStat
        {
            Cache = memory.Cache,
            Rss = Stat("rss"),
            RssHuge = Stat("rss_huge"),
            MappedFile = Stat("mapped_file"),
            Dirty = Stat("dirty"),
            Writeback = Stat("writeback"),
            PgPgIn = Stat("pgpgin"),
            PgPgOut = Stat("pgpgout"),
            PgFault = Stat("pgfault"),
            PgMajFault = Stat("pgmajfault"),
            InactiveAnon = Stat("inactive_anon"),
            ActiveAnon = Stat("active_anon"),
            InactiveFile = Stat("inactive_file"),
            ActiveFile = Stat("active_file"),
            Unevictable = Stat("unevictable"),
            HierarchicalMemoryLimit = Stat("hierarchical_memory_limit"),
            HierarchicalSwapLimit = Stat("hierarchical_memsw_limit"),
            TotalCache = Stat("total_cache"),
            TotalRss = Stat("total_rss"),
            TotalRssHuge = Stat("total_rss_huge"),
            TotalMappedFile = Stat("total_mapped_file"),
            TotalDirty = Stat("total_dirty"),
            TotalWriteback = Stat("total_writeback"),
            TotalPgPgIn = Stat("total_pgpgin"),
            TotalPgPgOut = Stat("total_pgpgout"),
            TotalPgFault = Stat("total_pgfault"),
            TotalPgMajFault = Stat("total_pgmajfault"),
            TotalInactiveAnon = Stat("total_inactive_anon"),
            TotalActiveAnon = Stat("total_active_anon"),
            TotalInactiveFile = Stat("total_inactive_file"),
            TotalActiveFile = Stat("total_active_file"),
            TotalUnevictable = Stat("total_unevictable"),
        };
        stat.Usage = Entry(memory.Usage);
        stat.Swap = Entry(memory.SwapUsage);
        stat.Kernel = Entry(memory.KernelUsage);
        return stat;
    }

    private static MemoryEntry? Entry(MemoryData? data) =>
        data is null ? null : new MemoryEntry { Usage = data.Usage, Max = data.MaxUsage, Failcnt = data.Failcnt, Limit = data.Limit };

    private static BlkIOStat Blkio(BlkioStats blkio)
    {
        var stat = new BlkIOStat();
        Copy(blkio.IoServiceBytesRecursive, stat.IoServiceBytesRecursive);
        Copy(blkio.IoServicedRecursive, stat.IoServicedRecursive);
        Copy(blkio.IoQueuedRecursive, stat.IoQueuedRecursive);
        Copy(blkio.IoServiceTimeRecursive, stat.IoServiceTimeRecursive);
        Copy(blkio.IoWaitTimeRecursive, stat.IoWaitTimeRecursive);
        Copy(blkio.IoMergedRecursive, stat.IoMergedRecursive);
        Copy(blkio.IoTimeRecursive, stat.IoTimeRecursive);
        Copy(blkio.SectorsRecursive, stat.SectorsRecursive);
        return stat;
    }

    private static void Copy(IEnumerable<BlkioStatsEntry> from, ICollection<BlkIOEntry> to)
    {
        foreach (var entry in from)
        {
            to.Add(new BlkIOEntry { Op = entry.Op, Major = entry.Major, Minor = entry.Minor, Value = entry.Value });
        }
    }
}
