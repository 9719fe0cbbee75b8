namespace Sealpod.AgentClient.Oci;

/// <summary>Memory cgroup limits (runtime-spec <c>linux.resources.memory</c>).</summary>
public sealed record OciMemory
{
    public long Limit { get; init; }

    public long Reservation { get; init; }

    public long Swap { get; init; }

    public long Kernel { get; init; }

    public long KernelTcp { get; init; }

    public ulong Swappiness { get; init; }

    public bool DisableOomKiller { get; init; }
}
