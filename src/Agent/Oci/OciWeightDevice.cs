namespace Sealpod.Agent.Oci;

/// <summary>A per-device block I/O weight.</summary>
internal sealed record OciWeightDevice
{
    public long Major { get; init; }

    public long Minor { get; init; }

    public ushort? Weight { get; init; }

    public ushort? LeafWeight { get; init; }
}
