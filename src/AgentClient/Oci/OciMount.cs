namespace Sealpod.AgentClient.Oci;

/// <summary>One mount of a container (runtime-spec <c>mounts[]</c>); the source is a path in the guest.</summary>
public sealed record OciMount
{
    public string Destination { get; init; } = string.Empty;

    public string Source { get; init; } = string.Empty;

    public string Type { get; init; } = string.Empty;

    public IReadOnlyList<string> Options { get; init; } = [];
}
