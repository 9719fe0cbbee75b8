namespace Sealpod.Agent.Cgroups;

/// <summary>
/// Resource usage of one container's cgroup, in the units the Kata API reports: nanoseconds of CPU
/// time and bytes of memory. Absent figures are zero.
/// </summary>
internal sealed record CgroupStats
{
    public ulong CpuTotalNanoseconds { get; init; }

    public ulong CpuUserNanoseconds { get; init; }

    public ulong CpuKernelNanoseconds { get; init; }

    public IReadOnlyList<ulong> CpuPerCpuNanoseconds { get; init; } = [];

    public ulong ThrottlingPeriods { get; init; }

    public ulong ThrottledPeriods { get; init; }

    public ulong ThrottledNanoseconds { get; init; }

    public ulong MemoryUsage { get; init; }

    public ulong MemoryMaxUsage { get; init; }

    public ulong MemoryLimit { get; init; }

    public ulong MemoryFailCount { get; init; }

    public ulong MemoryCache { get; init; }

    public ulong SwapUsage { get; init; }

    public ulong SwapLimit { get; init; }

    public IReadOnlyDictionary<string, ulong> MemoryStat { get; init; } = new Dictionary<string, ulong>();

    public ulong PidsCurrent { get; init; }

    public ulong PidsLimit { get; init; }
}
