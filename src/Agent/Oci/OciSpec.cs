namespace Sealpod.Agent.Oci;

/// <summary>The runtime-spec config.json the agent writes for runc/crun (the fields the agent produces).</summary>
internal sealed record OciSpec
{
    [JsonPropertyName("ociVersion")]
    public required string OciVersion { get; init; }

    public OciProcess? Process { get; init; }

    public OciRoot? Root { get; init; }

    public string? Hostname { get; init; }

    public IReadOnlyList<OciMount>? Mounts { get; init; }

    public IReadOnlyDictionary<string, string>? Annotations { get; init; }

    public OciLinux? Linux { get; init; }
}
