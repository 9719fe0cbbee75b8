namespace Sealpod.AgentClient.Oci;

/// <summary>The process of a container or of an exec (runtime-spec <c>process</c>).</summary>
public sealed record OciProcess
{
    public bool Terminal { get; init; }

    public OciBox? ConsoleSize { get; init; }

    public OciUser? User { get; init; }

    public IReadOnlyList<string> Args { get; init; } = [];

    public IReadOnlyList<string> Env { get; init; } = [];

    public string Cwd { get; init; } = string.Empty;

    public OciCapabilities? Capabilities { get; init; }

    public IReadOnlyList<OciRlimit> Rlimits { get; init; } = [];

    public bool NoNewPrivileges { get; init; }

    public string ApparmorProfile { get; init; } = string.Empty;

    public long OomScoreAdj { get; init; }

    public string SelinuxLabel { get; init; } = string.Empty;
}
