namespace Sealpod.AgentClient.Model;

/// <summary>
/// One NIC as the guest should have it (UpdateInterface): the agent finds it by <see cref="HardwareAddress"/>,
/// renames it to <see cref="Name"/>, sets <see cref="Mtu"/> (0 keeps the guest's) and exactly <see cref="Addresses"/>.
/// <see cref="DevicePath"/> is where it sits in the guest (a PCI path such as "02/01"), when known.
/// </summary>
public sealed record GuestInterface
{
    public required string Name { get; init; }

    public required PhysicalAddress HardwareAddress { get; init; }

    public int Mtu { get; init; }

    public IReadOnlyList<IpPrefix> Addresses { get; init; } = [];

    public string? DevicePath { get; init; }
}
