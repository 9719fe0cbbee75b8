namespace Sealpod.AgentClient.Oci;

/// <summary>A device cgroup rule; a major or minor of -1 means any.</summary>
public sealed record OciDeviceCgroup
{
    public bool Allow { get; init; }

    public string Type { get; init; } = string.Empty;

    public long Major { get; init; }

    public long Minor { get; init; }

    public string Access { get; init; } = string.Empty;
}
