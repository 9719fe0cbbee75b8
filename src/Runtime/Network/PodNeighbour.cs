namespace Sealpod.Runtime.Network;

/// <summary>A permanent neighbour entry CNI set on a pod interface; the guest gets it too.</summary>
public sealed record PodNeighbour(IPAddress Address, PhysicalAddress HardwareAddress, string Device);
