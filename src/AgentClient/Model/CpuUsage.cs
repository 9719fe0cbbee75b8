namespace Sealpod.AgentClient.Model;

/// <summary>CPU time used, in nanoseconds.</summary>
public sealed record CpuUsage
{
    public ulong Total { get; init; }

    public IReadOnlyList<ulong> PerCpu { get; init; } = [];

    public ulong Kernel { get; init; }

    public ulong User { get; init; }
}
