namespace Sealpod.AgentClient.Oci;

/// <summary>One resource limit of a process (runtime-spec <c>process.rlimits[]</c>).</summary>
public sealed record OciRlimit
{
    public string Type { get; init; } = string.Empty;

    public ulong Hard { get; init; }

    public ulong Soft { get; init; }
}
