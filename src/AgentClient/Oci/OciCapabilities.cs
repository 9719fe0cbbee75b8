namespace Sealpod.AgentClient.Oci;

/// <summary>A process's capability sets (runtime-spec <c>process.capabilities</c>).</summary>
public sealed record OciCapabilities
{
    public IReadOnlyList<string> Bounding { get; init; } = [];

    public IReadOnlyList<string> Effective { get; init; } = [];

    public IReadOnlyList<string> Inheritable { get; init; } = [];

    public IReadOnlyList<string> Permitted { get; init; } = [];

    public IReadOnlyList<string> Ambient { get; init; } = [];
}
