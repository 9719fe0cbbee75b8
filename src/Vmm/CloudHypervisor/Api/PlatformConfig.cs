namespace Sealpod.Vmm.CloudHypervisor.Api;

/// <summary>OpenAPI <c>PlatformConfig</c>: the TEE switches (Cloud Hypervisor built with the tdx / sev_snp features).</summary>
public sealed record PlatformConfig
{
    public bool? Tdx { get; init; }

    public bool? SevSnp { get; init; }
}
