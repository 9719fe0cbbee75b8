namespace Sealpod.AgentClient.Model;

/// <summary>The memory controller's figures; <see cref="Stats"/> is its memory.stat by key (<c>rss</c>, <c>total_pgfault</c>, ...).</summary>
public sealed record MemoryStats
{
    public ulong Cache { get; init; }

    public MemoryData? Usage { get; init; }

    public MemoryData? SwapUsage { get; init; }

    public MemoryData? KernelUsage { get; init; }

    public bool UseHierarchy { get; init; }

    public IReadOnlyDictionary<string, ulong> Stats { get; init; } = System.Collections.ObjectModel.ReadOnlyDictionary<string, ulong>.Empty;
}
