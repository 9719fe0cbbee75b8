namespace Sealpod.Vmm.CloudHypervisor.Api;

/// <summary>OpenAPI <c>VmRemoveDevice</c>.</summary>
public sealed record VmRemoveDevice(string Id);
