namespace Sealpod.Agent.Oci;

/// <summary>One mount inside the container.</summary>
internal sealed record OciMount
{
    public required string Destination { get; init; }

    public string? Type { get; init; }

    public string? Source { get; init; }

    public IReadOnlyList<string>? Options { get; init; }
}
