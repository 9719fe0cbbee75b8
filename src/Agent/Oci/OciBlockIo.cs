namespace Sealpod.Agent.Oci;

/// <summary>Block I/O weights and throttles.</summary>
internal sealed record OciBlockIo
{
    public ushort? Weight { get; init; }

    public ushort? LeafWeight { get; init; }

    public IReadOnlyList<OciWeightDevice>? WeightDevice { get; init; }

    public IReadOnlyList<OciThrottleDevice>? ThrottleReadBpsDevice { get; init; }

    public IReadOnlyList<OciThrottleDevice>? ThrottleWriteBpsDevice { get; init; }

    [JsonPropertyName("throttleReadIOPSDevice")]
    public IReadOnlyList<OciThrottleDevice>? ThrottleReadIopsDevice { get; init; }

    [JsonPropertyName("throttleWriteIOPSDevice")]
    public IReadOnlyList<OciThrottleDevice>? ThrottleWriteIopsDevice { get; init; }
}
