namespace Sealpod.Vmm.CloudHypervisor.Api;

/// <summary>OpenAPI <c>RngConfig</c>.</summary>
public sealed record RngConfig(string Src);
