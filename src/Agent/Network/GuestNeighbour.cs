namespace Sealpod.Agent.Network;

/// <summary>A static neighbour (AddARPNeighbors): the IP, the link it is on, its hardware address and NUD state bits.</summary>
internal sealed record GuestNeighbour(IPAddress Address, string Device, PhysicalAddress HardwareAddress, ushort State);
