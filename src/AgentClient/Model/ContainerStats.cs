namespace Sealpod.AgentClient.Model;

/// <summary>A container's statistics as the guest sees them: its cgroup, and the guest's network interfaces.</summary>
public sealed record ContainerStats
{
    public CgroupStats? Cgroup { get; init; }

    public IReadOnlyList<NetworkStats> Network { get; init; } = [];
}
