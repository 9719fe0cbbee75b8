using System.Globalization;

namespace Sealpod.Vmm;

/// <summary>
/// A PCI path: the slot on each bus from the root to the device, such as <c>02/01</c> (bridge in
/// root slot 2, device in bridge slot 1). The guest agent walks it to find the device.
/// </summary>
public sealed record PciPath : GuestDeviceAddress
{
    private readonly string _value;

    /// <summary>Creates a path from the slots, root first.</summary>
    public PciPath(params IReadOnlyList<int> slots)
    {
        if (slots.Count == 0)
        {
            throw new ArgumentException("a PCI path needs at least one slot", nameof(slots));
        }

        foreach (var slot in slots)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(slot, nameof(slots));
            ArgumentOutOfRangeException.ThrowIfGreaterThan(slot, 31, nameof(slots));
        }

        _value = string.Join('/', slots.Select(s => s.ToString("x2", CultureInfo.InvariantCulture)));
    }

    /// <inheritdoc />
    public override string ToString() => _value;
}
