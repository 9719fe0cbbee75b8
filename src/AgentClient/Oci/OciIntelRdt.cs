namespace Sealpod.AgentClient.Oci;

/// <summary>Intel RDT settings (runtime-spec <c>linux.intelRdt</c>).</summary>
public sealed record OciIntelRdt
{
    public string L3CacheSchema { get; init; } = string.Empty;
}
