namespace Sealpod.AgentClient.Oci;

/// <summary>A per-device block I/O weight.</summary>
public sealed record OciWeightDevice
{
    public long Major { get; init; }

    public long Minor { get; init; }

    public uint Weight { get; init; }

    public uint LeafWeight { get; init; }
}
