namespace Sealpod.AgentClient.Oci;

/// <summary>A device node to create in the container (runtime-spec <c>linux.devices[]</c>).</summary>
public sealed record OciDevice
{
    public string Path { get; init; } = string.Empty;

    public string Type { get; init; } = string.Empty;

    public long Major { get; init; }

    public long Minor { get; init; }

    public uint FileMode { get; init; }

    public uint Uid { get; init; }

    public uint Gid { get; init; }
}
