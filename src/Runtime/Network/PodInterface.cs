namespace Sealpod.Runtime.Network;

/// <summary>One pod interface (the CNI veth): the guest's virtio-net device carries its MAC and MTU.</summary>
public sealed record PodInterface(string Name, int Index, PhysicalAddress HardwareAddress, int Mtu, string? Kind, IReadOnlyList<PodAddress> Addresses);
