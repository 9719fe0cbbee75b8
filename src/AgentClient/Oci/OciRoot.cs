namespace Sealpod.AgentClient.Oci;

/// <summary>The container's root filesystem (runtime-spec <c>root</c>).</summary>
public sealed record OciRoot
{
    public string Path { get; init; } = string.Empty;

    public bool Readonly { get; init; }
}
