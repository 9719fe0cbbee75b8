namespace Sealpod.Agent.Oci;

/// <summary>A device cgroup rule; null major/minor is a wildcard.</summary>
internal sealed record OciDeviceRule
{
    public bool Allow { get; init; }

    public string? Type { get; init; }

    public long? Major { get; init; }

    public long? Minor { get; init; }

    public string? Access { get; init; }
}
