using System.Globalization;
using Sealpod.Agent.Errors;

namespace Sealpod.Agent.Storage;

/// <summary>
/// Kata's PCI path: the slot of each bridge from the root bus down to the device, two hex digits
/// each, separated by '/'. "01" is slot 1 on the root bus; "02/03" is slot 3 behind the bridge in
/// root slot 2. Function 0 is implied everywhere.
/// </summary>
internal sealed record PciPath(IReadOnlyList<byte> Slots)
{
    public static bool TryParse(string text, out PciPath? path)
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
                || slots[i] > 0x1f)
            {
                return false;
            }
        }

        path = new PciPath(slots);
        return true;
    }

    public static PciPath Parse(string text) =>
        TryParse(text, out var path) ? path! : throw new InvalidArgumentException($"'{text}' is not a PCI path (hex slots 00-1f separated by '/', e.g. \"02/01\")");

    public override string ToString() => string.Join('/', Slots.Select(slot => slot.ToString("x2", CultureInfo.InvariantCulture)));
}
