namespace Sealpod.AgentClient.Oci;

/// <summary>A namespace to create or join (runtime-spec <c>linux.namespaces[]</c>).</summary>
public sealed record OciNamespace
{
    public string Type { get; init; } = string.Empty;

    public string Path { get; init; } = string.Empty;
}
