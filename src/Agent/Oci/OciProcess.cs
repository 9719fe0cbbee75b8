namespace Sealpod.Agent.Oci;

/// <summary>The container process: what runs, as whom, where, with which limits.</summary>
internal sealed record OciProcess
{
    public bool Terminal { get; init; }

    public OciBox? ConsoleSize { get; init; }

    public required OciUser User { get; init; }

    public required IReadOnlyList<string> Args { get; init; }

    public IReadOnlyList<string>? Env { get; init; }

    public required string Cwd { get; init; }

    public OciCapabilities? Capabilities { get; init; }

    public IReadOnlyList<OciRlimit>? Rlimits { get; init; }

    public bool NoNewPrivileges { get; init; }

    public string? ApparmorProfile { get; init; }

    [JsonPropertyName("oomScoreAdj")]
    public int? OomScoreAdj { get; init; }

    public string? SelinuxLabel { get; init; }
}
