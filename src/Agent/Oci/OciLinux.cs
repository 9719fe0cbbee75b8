namespace Sealpod.Agent.Oci;

/// <summary>The Linux section.</summary>
internal sealed record OciLinux
{
    [JsonPropertyName("uidMappings")]
    public IReadOnlyList<OciIdMapping>? UidMappings { get; init; }

    [JsonPropertyName("gidMappings")]
    public IReadOnlyList<OciIdMapping>? GidMappings { get; init; }

    public IReadOnlyDictionary<string, string>? Sysctl { get; init; }

    public OciResources? Resources { get; init; }

    public string? CgroupsPath { get; init; }

    public required IReadOnlyList<OciNamespace> Namespaces { get; init; }

    public IReadOnlyList<OciDevice>? Devices { get; init; }

    public OciSeccomp? Seccomp { get; init; }

    public string? RootfsPropagation { get; init; }

    public IReadOnlyList<string>? MaskedPaths { get; init; }

    public IReadOnlyList<string>? ReadonlyPaths { get; init; }

    public string? MountLabel { get; init; }
}
