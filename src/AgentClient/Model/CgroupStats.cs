namespace Sealpod.AgentClient.Model;

/// <summary>The figures of a container's cgroup in the guest; a controller the agent did not report is null.</summary>
public sealed record CgroupStats
{
    public CpuStats? Cpu { get; init; }

    public MemoryStats? Memory { get; init; }

    public PidsStats? Pids { get; init; }

    public BlkioStats? Blkio { get; init; }

    /// <summary>By page size ("2MB", "1GB").</summary>
    public IReadOnlyDictionary<string, HugetlbStats> Hugetlb { get; init; } = System.Collections.ObjectModel.ReadOnlyDictionary<string, HugetlbStats>.Empty;
}
