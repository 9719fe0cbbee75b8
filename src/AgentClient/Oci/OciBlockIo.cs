namespace Sealpod.AgentClient.Oci;

/// <summary>Block I/O cgroup settings (runtime-spec <c>linux.resources.blockIO</c>).</summary>
public sealed record OciBlockIo
{
    public uint Weight { get; init; }

    public uint LeafWeight { get; init; }

    public IReadOnlyList<OciWeightDevice> WeightDevice { get; init; } = [];

    public IReadOnlyList<OciThrottleDevice> ThrottleReadBpsDevice { get; init; } = [];

    public IReadOnlyList<OciThrottleDevice> ThrottleWriteBpsDevice { get; init; } = [];

    public IReadOnlyList<OciThrottleDevice> ThrottleReadIopsDevice { get; init; } = [];

    public IReadOnlyList<OciThrottleDevice> ThrottleWriteIopsDevice { get; init; } = [];
}
