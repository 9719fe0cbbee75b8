namespace Sealpod.Agent.Oci;

/// <summary>A user-namespace id range.</summary>
internal sealed record OciIdMapping
{
    [JsonPropertyName("containerID")]
    public uint ContainerId { get; init; }

    [JsonPropertyName("hostID")]
    public uint HostId { get; init; }

    public uint Size { get; init; }
}
