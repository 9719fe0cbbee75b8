namespace Sealpod.Agent.Oci;

/// <summary>Capability sets by name (CAP_*).</summary>
internal sealed record OciCapabilities
{
    public IReadOnlyList<string>? Bounding { get; init; }

    public IReadOnlyList<string>? Effective { get; init; }

    public IReadOnlyList<string>? Inheritable { get; init; }

    public IReadOnlyList<string>? Permitted { get; init; }

    public IReadOnlyList<string>? Ambient { get; init; }
}
