namespace Sealpod.Vmm.CloudHypervisor.Api;

/// <summary>OpenAPI <c>PciDeviceInfo</c>: where a hot-plugged device landed.</summary>
public sealed record PciDeviceInfo(string Id, string Bdf);
