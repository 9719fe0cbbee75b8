namespace Sealpod.Agent.Oci;

/// <summary>The root filesystem: an absolute guest path.</summary>
internal sealed record OciRoot
{
    public required string Path { get; init; }

    public bool Readonly { get; init; }
}
