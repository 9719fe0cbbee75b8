namespace Sealpod.Vmm.CloudHypervisor.Api;

/// <summary>
/// OpenAPI <c>VsockConfig</c>: the guest's vsock, proxied by Cloud Hypervisor to the host unix socket <c>socket</c>
/// (hybrid vsock: connect, write <c>CONNECT 1024\n</c>, read <c>OK</c>).
/// </summary>
public sealed record VsockConfig(long Cid, string Socket);
