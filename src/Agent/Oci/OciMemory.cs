namespace Sealpod.Agent.Oci;

/// <summary>Memory limits in bytes; null leaves a limit unset.</summary>
internal sealed record OciMemory
{
    public long? Limit { get; init; }

    public long? Reservation { get; init; }

    public long? Swap { get; init; }

    public long? Kernel { get; init; }

    [JsonPropertyName("kernelTCP")]
    public long? KernelTcp { get; init; }

    public ulong? Swappiness { get; init; }

    [JsonPropertyName("disableOOMKiller")]
    public bool? DisableOomKiller { get; init; }
}
