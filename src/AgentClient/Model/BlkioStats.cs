namespace Sealpod.AgentClient.Model;

/// <summary>The blkio controller's recursive counters, one entry per device and operation.</summary>
public sealed record BlkioStats
{
    public IReadOnlyList<BlkioStatsEntry> IoServiceBytesRecursive { get; init; } = [];

    public IReadOnlyList<BlkioStatsEntry> IoServicedRecursive { get; init; } = [];

    public IReadOnlyList<BlkioStatsEntry> IoQueuedRecursive { get; init; } = [];

    public IReadOnlyList<BlkioStatsEntry> IoServiceTimeRecursive { get; init; } = [];

    public IReadOnlyList<BlkioStatsEntry> IoWaitTimeRecursive { get; init; } = [];

    public IReadOnlyList<BlkioStatsEntry> IoMergedRecursive { get; init; } = [];

    public IReadOnlyList<BlkioStatsEntry> IoTimeRecursive { get; init; } = [];

    public IReadOnlyList<BlkioStatsEntry> SectorsRecursive { get; init; } = [];
}
