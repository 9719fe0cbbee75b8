namespace Sealpod.Vmm.CloudHypervisor.Api;

/// <summary>OpenAPI <c>CpusConfig</c>.</summary>
public sealed record CpusConfig(int BootVcpus, int MaxVcpus);
