namespace Sealpod.Agent.Oci;

/// <summary>A hugetlb limit for one page size ("2MB").</summary>
internal sealed record OciHugepageLimit
{
    [JsonPropertyName("pageSize")]
    public required string PageSize { get; init; }

    public ulong Limit { get; init; }
}
