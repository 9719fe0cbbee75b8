using Sealpod.AgentClient.Model;

namespace Sealpod.Shim.Tests;

public sealed class MetricsTranslatorTests
{
    [Fact]
    public void Guest_cgroup_figures_become_cgroup_v1_metrics()
    {
        var stats = new ContainerStats
        {
            Cgroup = new CgroupStats
            {
                Cpu = new CpuStats { Usage = new CpuUsage { Total = 900, Kernel = 300, User = 600, PerCpu = [400, 500] }, Throttling = new ThrottlingData { Periods = 3 } },
                Memory = new MemoryStats
                {
                    Cache = 4096,
                    Usage = new MemoryData { Usage = 1 << 20, MaxUsage = 2 << 20, Limit = 256 << 20, Failcnt = 1 },
                    Stats = new Dictionary<string, ulong> { ["rss"] = 777, ["total_pgfault"] = 9 },
                },
                Pids = new PidsStats { Current = 2, Limit = 100 },
                Blkio = new BlkioStats { IoServiceBytesRecursive = [new BlkioStatsEntry { Major = 254, Minor = 0, Op = "Read", Value = 512 }] },
                Hugetlb = new Dictionary<string, HugetlbStats> { ["2MB"] = new HugetlbStats { Usage = 5 } },
            },
            Network = [new NetworkStats { Name = "eth0", RxBytes = 10, TxBytes = 20 }],
        };

        var metrics = MetricsTranslator.ToCgroupsV1(stats);

        Assert.Equal((900ul, 300ul, 600ul), (metrics.Cpu.Usage.Total, metrics.Cpu.Usage.Kernel, metrics.Cpu.Usage.User));
        Assert.Equal([400ul, 500ul], metrics.Cpu.Usage.PerCpu);
        Assert.Equal(3ul, metrics.Cpu.Throttling.Periods);
        Assert.Equal((1ul << 20, 2ul << 20, 256ul << 20, 1ul), (metrics.Memory.Usage.Usage, metrics.Memory.Usage.Max, metrics.Memory.Usage.Limit, metrics.Memory.Usage.Failcnt));
        Assert.Equal((4096ul, 777ul, 9ul), (metrics.Memory.Cache, metrics.Memory.Rss, metrics.Memory.TotalPgFault));
        Assert.Equal((2ul, 100ul), (metrics.Pids.Current, metrics.Pids.Limit));
        Assert.Equal(("Read", 512ul), (metrics.Blkio.IoServiceBytesRecursive[0].Op, metrics.Blkio.IoServiceBytesRecursive[0].Value));
        Assert.Equal(("2MB", 5ul), (metrics.Hugetlb[0].Pagesize, metrics.Hugetlb[0].Usage));
        Assert.Equal(("eth0", 10ul, 20ul), (metrics.Network[0].Name, metrics.Network[0].RxBytes, metrics.Network[0].TxBytes));
    }
}
