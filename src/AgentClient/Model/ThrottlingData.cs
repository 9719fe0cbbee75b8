namespace Sealpod.AgentClient.Model;

/// <summary>How often and how long the cgroup was throttled by its CPU quota.</summary>
public sealed record ThrottlingData
{
    public ulong Periods { get; init; }

    public ulong ThrottledPeriods { get; init; }

    public ulong ThrottledTime { get; init; }
}
