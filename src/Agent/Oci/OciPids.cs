namespace Sealpod.Agent.Oci;

/// <summary>The pids limit.</summary>
internal sealed record OciPids
{
    public long Limit { get; init; }
}
