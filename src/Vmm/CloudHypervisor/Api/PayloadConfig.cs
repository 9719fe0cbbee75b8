namespace Sealpod.Vmm.CloudHypervisor.Api;

/// <summary>
/// OpenAPI <c>PayloadConfig</c>: what boots. <c>firmware</c> (td-shim for TDX), <c>kernel</c>/<c>initramfs</c>/
/// <c>cmdline</c>, or an <c>igvm</c> file for SEV-SNP with <c>host_data</c>, 64 hex digits bound into every
/// attestation report.
/// </summary>
public sealed record PayloadConfig
{
    public string? Firmware { get; init; }

    public string? Kernel { get; init; }

    public string? Cmdline { get; init; }

    public string? Initramfs { get; init; }

    public string? Igvm { get; init; }

    public string? HostData { get; init; }
}
