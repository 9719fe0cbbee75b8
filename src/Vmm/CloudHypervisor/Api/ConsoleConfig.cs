namespace Sealpod.Vmm.CloudHypervisor.Api;

/// <summary>OpenAPI <c>ConsoleConfig</c> (the virtio-console).</summary>
public sealed record ConsoleConfig
{
    public required string Mode { get; init; }

    public string? File { get; init; }
}
