namespace Sealpod.AgentClient.Model;

/// <summary>The hugetlb controller's figures for one page size.</summary>
public sealed record HugetlbStats
{
    public ulong Usage { get; init; }

    public ulong MaxUsage { get; init; }

    public ulong Failcnt { get; init; }
}
