using Wire = Sealpod.Protos.Kata.Agent;

namespace Sealpod.Agent.Service.Translation;

/// <summary><see cref="CgroupStats"/> to the Kata <c>StatsContainerResponse</c>.</summary>
internal static class StatsTranslation
{
    public static Wire.StatsContainerResponse ToWire(CgroupStats stats)
    {
        ArgumentNullException.ThrowIfNull(stats);
        var usage = new Wire.CpuUsage
        {
            TotalUsage = stats.CpuTotalNanoseconds,
            UsageInKernelmode = stats.CpuKernelNanoseconds,
            UsageInUsermode = stats.CpuUserNanoseconds,
        };
        usage.PercpuUsage.AddRange(stats.CpuPerCpuNanoseconds);
        var memory = new Wire.MemoryStats
        {
            Cache = stats.MemoryCache,
            Usage = new Wire.MemoryData
            {
                Usage = stats.MemoryUsage,
                MaxUsage = stats.MemoryMaxUsage,
                Failcnt = stats.MemoryFailCount,
                Limit = stats.MemoryLimit,
            },
            SwapUsage = new Wire.MemoryData { Usage = stats.SwapUsage, Limit = stats.SwapLimit },
            UseHierarchy = true,
        };
        foreach (var (key, value) in stats.MemoryStat)
        {
            memory.Stats[key] = value;
        }

        return new Wire.StatsContainerResponse
        {
            CgroupStats = new Wire.CgroupStats
            {
                CpuStats = new Wire.CpuStats
                {
                    CpuUsage = usage,
                    ThrottlingData = new Wire.ThrottlingData
                    {
                        Periods = stats.ThrottlingPeriods,
                        ThrottledPeriods = stats.ThrottledPeriods,
                        ThrottledTime = stats.ThrottledNanoseconds,
                    },
                },
                MemoryStats = memory,
                PidsStats = new Wire.PidsStats { Current = stats.PidsCurrent, Limit = stats.PidsLimit },
            },
        };
    }
}
