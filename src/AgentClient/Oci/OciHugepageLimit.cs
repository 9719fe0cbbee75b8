namespace Sealpod.AgentClient.Oci;

/// <summary>A hugetlb cgroup limit for one page size.</summary>
public sealed record OciHugepageLimit
{
    public string PageSize { get; init; } = string.Empty;

    public ulong Limit { get; init; }
}
