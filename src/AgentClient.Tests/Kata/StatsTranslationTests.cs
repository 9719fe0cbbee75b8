using Wire = Sealpod.Protos.Kata.Agent;

namespace Sealpod.AgentClient.Tests.Kata;

/// <summary>The agent's container statistics to the domain: lossless both ways, each counter on its own field.</summary>
public sealed class StatsTranslationTests
{
    [Fact]
    public void Full_statistics_round_trip_both_ways()
    {
        var (wire, _) = RoundTrip.AssertLossless(Samples.Stats(), StatsTranslation.ToWire, StatsTranslation.ToDomain);

        var bytes = wire.ToByteArray();
        Assert.Equal(bytes, StatsTranslation.ToWire(StatsTranslation.ToDomain(Wire.StatsContainerResponse.Parser.ParseFrom(bytes))).ToByteArray());
    }

    [Fact]
    public void Each_counter_comes_from_its_wire_field()
    {
        var wire = StatsTranslation.ToWire(Samples.Stats());
        wire.CgroupStats.MemoryStats.Stats["cache"] = 1;

        var stats = StatsTranslation.ToDomain(wire);

        var cgroup = stats.Cgroup!;
        Assert.Equal((900ul, 300ul, 600ul), (cgroup.Cpu!.Usage!.Total, cgroup.Cpu.Usage.Kernel, cgroup.Cpu.Usage.User));
        Assert.Equal([400ul, 500ul], cgroup.Cpu.Usage.PerCpu);
        Assert.Equal((3ul, 2ul, 1ul), (cgroup.Cpu.Throttling!.Periods, cgroup.Cpu.Throttling.ThrottledPeriods, cgroup.Cpu.Throttling.ThrottledTime));
        var memory = cgroup.Memory!;
        Assert.Equal((4096ul, true), (memory.Cache, memory.UseHierarchy));
        Assert.Equal((1ul << 20, 2ul << 20, 1ul, 256ul << 20), (memory.Usage!.Usage, memory.Usage.MaxUsage, memory.Usage.Failcnt, memory.Usage.Limit));
        Assert.Equal((5ul, 8ul), (memory.SwapUsage!.Usage, memory.SwapUsage.Limit));
        Assert.Equal((9ul, 12ul), (memory.KernelUsage!.Usage, memory.KernelUsage.Limit));
        Assert.Equal((777ul, 9ul, 1ul), (memory.Stats["rss"], memory.Stats["total_pgfault"], memory.Stats["cache"]));
        Assert.Equal((2ul, 100ul), (cgroup.Pids!.Current, cgroup.Pids.Limit));
        var blkio = cgroup.Blkio!;
        Assert.Equal((254ul, 0ul, "Read", 512ul), (blkio.IoServiceBytesRecursive[0].Major, blkio.IoServiceBytesRecursive[0].Minor, blkio.IoServiceBytesRecursive[0].Op, blkio.IoServiceBytesRecursive[0].Value));
        Assert.Equal(
            [2ul, 3ul, 4ul, 5ul, 6ul, 7ul, 8ul],
            new[] { blkio.IoServicedRecursive, blkio.IoQueuedRecursive, blkio.IoServiceTimeRecursive, blkio.IoWaitTimeRecursive, blkio.IoMergedRecursive, blkio.IoTimeRecursive, blkio.SectorsRecursive }.Select(e => e[0].Value));
        Assert.Equal((5ul, 6ul, 7ul), (cgroup.Hugetlb["2MB"].Usage, cgroup.Hugetlb["2MB"].MaxUsage, cgroup.Hugetlb["2MB"].Failcnt));
        var net = Assert.Single(stats.Network);
        Assert.Equal(("eth0", 1ul, 2ul, 3ul, 4ul, 5ul, 6ul, 7ul, 8ul), (net.Name, net.RxBytes, net.RxPackets, net.RxErrors, net.RxDropped, net.TxBytes, net.TxPackets, net.TxErrors, net.TxDropped));
    }

    [Fact]
    public void Controllers_the_agent_did_not_report_stay_absent()
    {
        var stats = StatsTranslation.ToDomain(new Wire.StatsContainerResponse { CgroupStats = new Wire.CgroupStats { PidsStats = new Wire.PidsStats { Current = 1 } } });

        Assert.Null(stats.Cgroup!.Cpu);
        Assert.Null(stats.Cgroup.Memory);
        Assert.Null(stats.Cgroup.Blkio);
        Assert.Empty(stats.Cgroup.Hugetlb);
        Assert.Equal(1ul, stats.Cgroup.Pids!.Current);
        Assert.Null(StatsTranslation.ToDomain(new Wire.StatsContainerResponse()).Cgroup);
        Assert.Null(StatsTranslation.ToDomain(new Wire.StatsContainerResponse { CgroupStats = new Wire.CgroupStats { MemoryStats = new Wire.MemoryStats { Cache = 1 } } }).Cgroup!.Memory!.Usage);
    }
}
