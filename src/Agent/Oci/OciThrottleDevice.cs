namespace Sealpod.Agent.Oci;

/// <summary>A per-device block I/O rate limit.</summary>
internal sealed record OciThrottleDevice
{
    public long Major { get; init; }

    public long Minor { get; init; }

    public ulong Rate { get; init; }
}
