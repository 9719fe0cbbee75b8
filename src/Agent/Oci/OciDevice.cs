namespace Sealpod.Agent.Oci;

/// <summary>A device node runc creates in the container.</summary>
internal sealed record OciDevice
{
    public required string Path { get; init; }

    public required string Type { get; init; }

    public long Major { get; init; }

    public long Minor { get; init; }

    public uint? FileMode { get; init; }

    public uint? Uid { get; init; }

    public uint? Gid { get; init; }
}
