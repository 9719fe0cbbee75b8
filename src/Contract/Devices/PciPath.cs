using System.Globalization;

namespace Sealpod.Contract.Devices;

/// <summary>
/// Kata's PCI path, how the host tells the agent where a hot-plugged device sits: the slot on each bus from the root
/// down to the device, two hex digits each, separated by '/'. <c>01</c> is slot 1 on the root bus; <c>02/03</c> is
/// slot 3 behind the bridge in root slot 2. Function 0 is implied everywhere.
/// </summary>
public sealed class PciPath : IEquatable<PciPath>
{
    /// <summary>The highest slot number on a PCI bus.</summary>
    public const int MaxSlot = 0x1F;

    public const string Expected = "hex slots 00-1f separated by '/', e.g. \"02/01\"";

    private readonly byte[] _slots;

    /// <summary>Creates a path from the slots, root first.</summary>
    /// <exception cref="ArgumentException">No slot, or a slot outside 0-31.</exception>
    public PciPath(params IReadOnlyList<int> slots)
    {
        ArgumentNullException.ThrowIfNull(slots);
        if (slots.Count == 0)
        {
            throw new ArgumentException("a PCI path needs at least one slot", nameof(slots));
        }

        _slots = new byte[slots.Count];
        for (var i = 0; i < slots.Count; i++)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(slots[i], nameof(slots));
            ArgumentOutOfRangeException.ThrowIfGreaterThan(slots[i], MaxSlot, nameof(slots));
            _slots[i] = (byte)slots[i];
        }
    }

    private PciPath(byte[] slots)
    {
        _slots = slots;
    }

    /// <summary>The slots, root first.</summary>
    public IReadOnlyList<byte> Slots => _slots;

    public static bool TryParse(string? text, out PciPath? path)
    {
        path = null;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        var parts = text.Split('/');
        var slots = new byte[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            if (parts[i].Length is < 1 or > 2
                || !byte.TryParse(parts[i], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out slots[i])
                || slots[i] > MaxSlot)
            {
                return false;
            }
        }

        path = new PciPath(slots);
        return true;
    }

    /// <exception cref="FormatException"><paramref name="text"/> is not a PCI path; the message names it.</exception>
    public static PciPath Parse(string? text) =>
        TryParse(text, out var path) ? path! : throw new FormatException($"'{text}' is not a PCI path ({Expected})");

    public override string ToString() => string.Join('/', _slots.Select(slot => slot.ToString("x2", CultureInfo.InvariantCulture)));

    public bool Equals(PciPath? other) => other is not null && _slots.AsSpan().SequenceEqual(other._slots);

    public override bool Equals(object? obj) => Equals(obj as PciPath);

    public override int GetHashCode() => ToString().GetHashCode(StringComparison.Ordinal);
}
