namespace Sealpod.Vmm.CloudHypervisor.Api;

/// <summary>OpenAPI <c>MemoryConfig</c>: sizes in bytes.</summary>
public sealed record MemoryConfig
{
    public required long Size { get; init; }

    /// <summary>Hot-pluggable memory in bytes; null (absent) for none, as TEE guests need.</summary>
    public long? HotplugSize { get; init; }

    /// <summary>Map guest RAM shared (virtio-fs DAX and vhost-user need it).</summary>
    public bool? Shared { get; init; }
}
