namespace Sealpod.AgentClient.Model;

/// <summary>One blkio counter of one device.</summary>
public sealed record BlkioStatsEntry
{
    public ulong Major { get; init; }

    public ulong Minor { get; init; }

    public string Op { get; init; } = string.Empty;

    public ulong Value { get; init; }
}
