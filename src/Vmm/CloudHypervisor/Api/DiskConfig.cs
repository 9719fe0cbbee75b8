namespace Sealpod.Vmm.CloudHypervisor.Api;

/// <summary>OpenAPI <c>DiskConfig</c> (vm.create's disks and the vm.add-disk body).</summary>
public sealed record DiskConfig
{
    public required string Path { get; init; }

    public bool? Readonly { get; init; }

    public string? Id { get; init; }

    public string? Serial { get; init; }
}
