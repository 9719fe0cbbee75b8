using System.Globalization;

namespace Sealpod.Contract.Devices;

/// <summary>Kata's SCSI address of a disk on the sandbox's virtio-scsi controller: <c>target:lun</c> on channel 0.</summary>
public readonly record struct ScsiAddress
{
    /// <summary>QEMU's virtio-scsi limits.</summary>
    public const int MaxTarget = 255;

    public const int MaxLun = 16383;

    public const string Expected = "<target>:<lun>, target 0-255, lun 0-16383";

    /// <exception cref="ArgumentOutOfRangeException">A target or LUN outside QEMU's virtio-scsi limits.</exception>
    public ScsiAddress(int target, int lun)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(target);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(target, MaxTarget);
        ArgumentOutOfRangeException.ThrowIfNegative(lun);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(lun, MaxLun);
        Target = target;
        Lun = lun;
    }

    public int Target { get; }

    public int Lun { get; }

    public static bool TryParse(string? text, out ScsiAddress address)
    {
        address = default;
        var parts = (text ?? string.Empty).Split(':');
        if (parts.Length == 2
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var target)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var lun)
            && target <= MaxTarget && lun <= MaxLun)
        {
            address = new ScsiAddress(target, lun);
            return true;
        }

        return false;
    }

    /// <exception cref="FormatException"><paramref name="text"/> is not a SCSI address; the message names it.</exception>
    public static ScsiAddress Parse(string? text) =>
        TryParse(text, out var address) ? address : throw new FormatException($"SCSI address '{text}' is invalid: expected {Expected}");

    public override string ToString() =>
        Target.ToString(CultureInfo.InvariantCulture) + ":" + Lun.ToString(CultureInfo.InvariantCulture);
}
