namespace Sealpod.Agent.Cgroups;

/// <summary>Reads <see cref="CgroupStats"/> from cgroup v2 or v1 files.</summary>
internal sealed class CgroupStatsReader
{
    // cpuacct.stat counts USER_HZ ticks, which Linux fixes at 100 per second.
    private const ulong NanosecondsPerTick = 10_000_000;
    private const ulong NanosecondsPerMicrosecond = 1_000;

    private readonly CgroupLayout _layout;

    public CgroupStatsReader(CgroupLayout layout)
    {
        _layout = layout;
    }

    public CgroupStats Read(string cgroupPath) =>
        _layout.Version == CgroupVersion.V2 ? ReadV2(_layout.Directory(cgroupPath, "")!) : ReadV1(cgroupPath);

    private static CgroupStats ReadV2(string directory)
    {
        var cpu = CgroupFiles.ReadKeyValues(directory, "cpu.stat");
        var memoryStat = CgroupFiles.ReadKeyValues(directory, "memory.stat");
        var events = CgroupFiles.ReadKeyValues(directory, "memory.events");
        var usage = CgroupFiles.ReadValue(directory, "memory.current");
        var peak = CgroupFiles.ReadValue(directory, "memory.peak");
        return new CgroupStats
        {
            CpuTotalNanoseconds = cpu.GetValueOrDefault("usage_usec") * NanosecondsPerMicrosecond,
            CpuUserNanoseconds = cpu.GetValueOrDefault("user_usec") * NanosecondsPerMicrosecond,
            CpuKernelNanoseconds = cpu.GetValueOrDefault("system_usec") * NanosecondsPerMicrosecond,
            ThrottlingPeriods = cpu.GetValueOrDefault("nr_periods"),
            ThrottledPeriods = cpu.GetValueOrDefault("nr_throttled"),
            ThrottledNanoseconds = cpu.GetValueOrDefault("throttled_usec") * NanosecondsPerMicrosecond,
            MemoryUsage = usage,
            MemoryMaxUsage = peak == 0 ? usage : peak,
            MemoryLimit = CgroupFiles.ReadValue(directory, "memory.max"),
            MemoryFailCount = events.GetValueOrDefault("max"),
            MemoryCache = memoryStat.GetValueOrDefault("file"),
            SwapUsage = CgroupFiles.ReadValue(directory, "memory.swap.current"),
            SwapLimit = CgroupFiles.ReadValue(directory, "memory.swap.max"),
            MemoryStat = memoryStat,
            PidsCurrent = CgroupFiles.ReadValue(directory, "pids.current"),
            PidsLimit = CgroupFiles.ReadValue(directory, "pids.max"),
        };
    }

    private CgroupStats ReadV1(string cgroupPath)
    {
        var cpuacct = _layout.Directory(cgroupPath, "cpuacct");
        var cpu = _layout.Directory(cgroupPath, "cpu");
        var memory = _layout.Directory(cgroupPath, "memory");
        var pids = _layout.Directory(cgroupPath, "pids");
        var ticks = CgroupFiles.ReadKeyValues(cpuacct, "cpuacct.stat");
        var throttling = CgroupFiles.ReadKeyValues(cpu, "cpu.stat");
        var memoryStat = CgroupFiles.ReadKeyValues(memory, "memory.stat");
        return new CgroupStats
        {
            CpuTotalNanoseconds = CgroupFiles.ReadValue(cpuacct, "cpuacct.usage"),
            CpuUserNanoseconds = ticks.GetValueOrDefault("user") * NanosecondsPerTick,
            CpuKernelNanoseconds = ticks.GetValueOrDefault("system") * NanosecondsPerTick,
            CpuPerCpuNanoseconds = CgroupFiles.ReadList(cpuacct, "cpuacct.usage_percpu"),
            ThrottlingPeriods = throttling.GetValueOrDefault("nr_periods"),
            ThrottledPeriods = throttling.GetValueOrDefault("nr_throttled"),
            ThrottledNanoseconds = throttling.GetValueOrDefault("throttled_time"),
            MemoryUsage = CgroupFiles.ReadValue(memory, "memory.usage_in_bytes"),
            MemoryMaxUsage = CgroupFiles.ReadValue(memory, "memory.max_usage_in_bytes"),
            MemoryLimit = CgroupFiles.ReadValue(memory, "memory.limit_in_bytes"),
            MemoryFailCount = CgroupFiles.ReadValue(memory, "memory.failcnt"),
            MemoryCache = memoryStat.GetValueOrDefault("cache"),
            SwapUsage = CgroupFiles.ReadValue(memory, "memory.memsw.usage_in_bytes"),
            SwapLimit = CgroupFiles.ReadValue(memory, "memory.memsw.limit_in_bytes"),
            MemoryStat = memoryStat,
            PidsCurrent = CgroupFiles.ReadValue(pids, "pids.current"),
            PidsLimit = CgroupFiles.ReadValue(pids, "pids.max"),
        };
    }
}
