namespace Sealpod.Agent.Oci;

/// <summary>net_cls/net_prio settings.</summary>
internal sealed record OciNetwork
{
    [JsonPropertyName("classID")]
    public uint? ClassId { get; init; }

    public IReadOnlyList<OciInterfacePriority>? Priorities { get; init; }
}
