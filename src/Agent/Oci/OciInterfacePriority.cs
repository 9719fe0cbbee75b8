namespace Sealpod.Agent.Oci;

/// <summary>A net_prio priority for one interface.</summary>
internal sealed record OciInterfacePriority
{
    public required string Name { get; init; }

    public uint Priority { get; init; }
}
