namespace Sealpod.AgentClient.Model;

/// <summary>The counters of one guest network interface.</summary>
public sealed record NetworkStats
{
    public string Name { get; init; } = string.Empty;

    public ulong RxBytes { get; init; }

    public ulong RxPackets { get; init; }

    public ulong RxErrors { get; init; }

    public ulong RxDropped { get; init; }

    public ulong TxBytes { get; init; }

    public ulong TxPackets { get; init; }

    public ulong TxErrors { get; init; }

    public ulong TxDropped { get; init; }
}
