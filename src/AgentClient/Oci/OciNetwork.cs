namespace Sealpod.AgentClient.Oci;

/// <summary>Network cgroup settings (runtime-spec <c>linux.resources.network</c>).</summary>
public sealed record OciNetwork
{
    public uint ClassId { get; init; }

    public IReadOnlyList<OciInterfacePriority> Priorities { get; init; } = [];
}
