namespace Sealpod.AgentClient.Model;

/// <summary>One memory counter: current and peak usage, limit and how often the limit was hit.</summary>
public sealed record MemoryData
{
    public ulong Usage { get; init; }

    public ulong MaxUsage { get; init; }

    public ulong Failcnt { get; init; }

    public ulong Limit { get; init; }
}
