namespace Sealpod.Vmm;

/// <summary>
/// A PCI path: the slot on each bus from the root to the device, such as <c>02/01</c> (bridge in
/// root slot 2, device in bridge slot 1). The guest agent walks it to find the device.
/// </summary>
public sealed record PciPath : GuestDeviceAddress
{
    private readonly string _value;

    /// <summary>Creates a path from the slots, root first (the format is the host-guest contract's).</summary>
    public PciPath(params IReadOnlyList<int> slots)
    {
        _value = new Contract.Devices.PciPath(slots).ToString();
    }

    /// <inheritdoc />
    public override string ToString() => _value;
}
