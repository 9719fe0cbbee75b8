namespace Sealpod.AgentClient.Oci;

/// <summary>A per-device block I/O rate limit (bytes or operations per second).</summary>
public sealed record OciThrottleDevice
{
    public long Major { get; init; }

    public long Minor { get; init; }

    public ulong Rate { get; init; }
}
