namespace Sealpod.Vmm.CloudHypervisor.Api;

/// <summary>OpenAPI <c>VmmPingResponse</c>.</summary>
public sealed record VmmPingResponse
{
    public required string Version { get; init; }

    public string? BuildVersion { get; init; }

    public long? Pid { get; init; }

    public IReadOnlyList<string>? Features { get; init; }
}
