using Wire = Sealpod.Protos.Kata.Agent;

namespace Sealpod.AgentClient.Kata.Translation;

/// <summary>Kata's <c>StatsContainerResponse</c> to <see cref="ContainerStats"/> and back, field by field.</summary>
internal static class StatsTranslation
{
    public static ContainerStats ToDomain(Wire.StatsContainerResponse stats)
    {
        ArgumentNullException.ThrowIfNull(stats);
        return new ContainerStats
        {
            Cgroup = stats.CgroupStats is { } cgroup ? ToDomain(cgroup) : null,
            Network = stats.NetworkStats.Select(n => new NetworkStats
            {
                Name = n.Name,
                RxBytes = n.RxBytes,
                RxPackets = n.RxPackets,
                RxErrors = n.RxErrors,
                RxDropped = n.RxDropped,
                TxBytes = n.TxBytes,
                TxPackets = n.TxPackets,
                TxErrors = n.TxErrors,
                TxDropped = n.TxDropped,
            }).ToList(),
        };
    }

    public static Wire.StatsContainerResponse ToWire(ContainerStats stats)
    {
        ArgumentNullException.ThrowIfNull(stats);
        var wire = new Wire.StatsContainerResponse { CgroupStats = stats.Cgroup is { } cgroup ? ToWire(cgroup) : null };
        wire.NetworkStats.AddRange(stats.Network.Select(n => new Wire.NetworkStats
        {
            Name = n.Name,
            RxBytes = n.RxBytes,
            RxPackets = n.RxPackets,
            RxErrors = n.RxErrors,
            RxDropped = n.RxDropped,
            TxBytes = n.TxBytes,
            TxPackets = n.TxPackets,
            TxErrors = n.TxErrors,
            TxDropped = n.TxDropped,
        }));
        return wire;
    }

    private static CgroupStats ToDomain(Wire.CgroupStats cgroup) => new()
    {
        Cpu = cgroup.CpuStats is { } cpu
            ? new CpuStats
            {
                Usage = cpu.CpuUsage is { } u
                    ? new CpuUsage { Total = u.TotalUsage, PerCpu = [.. u.PercpuUsage], Kernel = u.UsageInKernelmode, User = u.UsageInUsermode }
                    : null,
                Throttling = cpu.ThrottlingData is { } t
                    ? new ThrottlingData { Periods = t.Periods, ThrottledPeriods = t.ThrottledPeriods, ThrottledTime = t.ThrottledTime }
                    : null,
            }
            : null,
        Memory = cgroup.MemoryStats is { } memory
            ? new MemoryStats
            {
                Cache = memory.Cache,
                Usage = ToDomain(memory.Usage),
                SwapUsage = ToDomain(memory.SwapUsage),
                KernelUsage = ToDomain(memory.KernelUsage),
                UseHierarchy = memory.UseHierarchy,
                Stats = memory.Stats.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal),
            }
            : null,
        Pids = cgroup.PidsStats is { } pids ? new PidsStats { Current = pids.Current, Limit = pids.Limit } : null,
        Blkio = cgroup.BlkioStats is { } blkio
            ? new BlkioStats
            {
                IoServiceBytesRecursive = ToDomain(blkio.IoServiceBytesRecursive),
                IoServicedRecursive = ToDomain(blkio.IoServicedRecursive),
                IoQueuedRecursive = ToDomain(blkio.IoQueuedRecursive),
                IoServiceTimeRecursive = ToDomain(blkio.IoServiceTimeRecursive),
                IoWaitTimeRecursive = ToDomain(blkio.IoWaitTimeRecursive),
                IoMergedRecursive = ToDomain(blkio.IoMergedRecursive),
                IoTimeRecursive = ToDomain(blkio.IoTimeRecursive),
                SectorsRecursive = ToDomain(blkio.SectorsRecursive),
            }
            : null,
        Hugetlb = cgroup.HugetlbStats.ToDictionary(
            p => p.Key,
            p => new HugetlbStats { Usage = p.Value.Usage, MaxUsage = p.Value.MaxUsage, Failcnt = p.Value.Failcnt },
            StringComparer.Ordinal),
    };

    private static Wire.CgroupStats ToWire(CgroupStats cgroup)
    {
        var wire = new Wire.CgroupStats
        {
            CpuStats = cgroup.Cpu is { } cpu
                ? new Wire.CpuStats
                {
                    CpuUsage = cpu.Usage is { } u
                        ? new Wire.CpuUsage { TotalUsage = u.Total, PercpuUsage = { u.PerCpu }, UsageInKernelmode = u.Kernel, UsageInUsermode = u.User }
                        : null,
                    ThrottlingData = cpu.Throttling is { } t
                        ? new Wire.ThrottlingData { Periods = t.Periods, ThrottledPeriods = t.ThrottledPeriods, ThrottledTime = t.ThrottledTime }
                        : null,
                }
                : null,
            MemoryStats = cgroup.Memory is { } memory ? ToWire(memory) : null,
            PidsStats = cgroup.Pids is { } pids ? new Wire.PidsStats { Current = pids.Current, Limit = pids.Limit } : null,
            BlkioStats = cgroup.Blkio is { } blkio ? ToWire(blkio) : null,
        };
        foreach (var (pageSize, hugetlb) in cgroup.Hugetlb)
        {
            wire.HugetlbStats.Add(pageSize, new Wire.HugetlbStats { Usage = hugetlb.Usage, MaxUsage = hugetlb.MaxUsage, Failcnt = hugetlb.Failcnt });
        }

        return wire;
    }

    private static Wire.MemoryStats ToWire(MemoryStats memory)
    {
        var wire = new Wire.MemoryStats
        {
            Cache = memory.Cache,
            Usage = ToWire(memory.Usage),
            SwapUsage = ToWire(memory.SwapUsage),
            KernelUsage = ToWire(memory.KernelUsage),
            UseHierarchy = memory.UseHierarchy,
        };
        foreach (var (key, value) in memory.Stats)
        {
            wire.Stats.Add(key, value);
        }

        return wire;
    }

    private static Wire.BlkioStats ToWire(BlkioStats blkio)
    {
        var wire = new Wire.BlkioStats();
        wire.IoServiceBytesRecursive.AddRange(ToWire(blkio.IoServiceBytesRecursive));
        wire.IoServicedRecursive.AddRange(ToWire(blkio.IoServicedRecursive));
        wire.IoQueuedRecursive.AddRange(ToWire(blkio.IoQueuedRecursive));
        wire.IoServiceTimeRecursive.AddRange(ToWire(blkio.IoServiceTimeRecursive));
        wire.IoWaitTimeRecursive.AddRange(ToWire(blkio.IoWaitTimeRecursive));
        wire.IoMergedRecursive.AddRange(ToWire(blkio.IoMergedRecursive));
        wire.IoTimeRecursive.AddRange(ToWire(blkio.IoTimeRecursive));
        wire.SectorsRecursive.AddRange(ToWire(blkio.SectorsRecursive));
        return wire;
    }

    private static MemoryData? ToDomain(Wire.MemoryData? data) =>
        data is null ? null : new MemoryData { Usage = data.Usage, MaxUsage = data.MaxUsage, Failcnt = data.Failcnt, Limit = data.Limit };

    private static Wire.MemoryData? ToWire(MemoryData? data) =>
        data is null ? null : new Wire.MemoryData { Usage = data.Usage, MaxUsage = data.MaxUsage, Failcnt = data.Failcnt, Limit = data.Limit };

    private static List<BlkioStatsEntry> ToDomain(IEnumerable<Wire.BlkioStatsEntry> entries) =>
        entries.Select(e => new BlkioStatsEntry { Major = e.Major, Minor = e.Minor, Op = e.Op, Value = e.Value }).ToList();

    private static IEnumerable<Wire.BlkioStatsEntry> ToWire(IEnumerable<BlkioStatsEntry> entries) =>
        entries.Select(e => new Wire.BlkioStatsEntry { Major = e.Major, Minor = e.Minor, Op = e.Op, Value = e.Value });
}
