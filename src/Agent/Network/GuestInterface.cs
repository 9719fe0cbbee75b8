namespace Sealpod.Agent.Network;

/// <summary>
/// How the runtime wants one guest NIC (UpdateInterface): found by its hardware address, given
/// <paramref name="Name"/> (null keeps the current one), <paramref name="Mtu"/> (null keeps it) and exactly the
/// <paramref name="Addresses"/>.
/// </summary>
internal sealed record GuestInterface(PhysicalAddress HardwareAddress, string? Name, int? Mtu, IReadOnlyList<GuestAddress> Addresses);
