namespace Sealpod.AgentClient.Oci;

/// <summary>A user or group id range of a user namespace (runtime-spec <c>linux.uidMappings[]</c>).</summary>
public sealed record OciIdMapping
{
    public uint ContainerId { get; init; }

    public uint HostId { get; init; }

    public uint Size { get; init; }
}
