namespace Sealpod.Agent.Oci;

/// <summary>CPU limits; null leaves a limit unset.</summary>
internal sealed record OciCpu
{
    public ulong? Shares { get; init; }

    public long? Quota { get; init; }

    public ulong? Period { get; init; }

    public long? RealtimeRuntime { get; init; }

    public ulong? RealtimePeriod { get; init; }

    public string? Cpus { get; init; }

    public string? Mems { get; init; }
}
