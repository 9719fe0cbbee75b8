namespace Sealpod.AgentClient.Model;

/// <summary>A static (permanent) neighbour the guest should know without asking: the pod's static ARP/NDP entries.</summary>
public sealed record GuestNeighbour(IPAddress Address, string Device, PhysicalAddress HardwareAddress);
