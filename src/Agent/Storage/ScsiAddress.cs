using System.Globalization;

namespace Sealpod.Agent.Storage;

/// <summary>Kata's SCSI address of a disk on the sandbox's virtio-scsi controller: <c>target:lun</c> on channel 0.</summary>
internal sealed record ScsiAddress(int Target, int Lun)
{
    public static ScsiAddress Parse(string text)
    {
        var parts = (text ?? string.Empty).Split(':');
        if (parts.Length == 2
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int target)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int lun)
            && target <= 255 && lun <= 16383)
        {
            return new ScsiAddress(target, lun);
        }

        throw new Errors.InvalidArgumentException($"SCSI address '{text}' is invalid: expected <target>:<lun>, target 0-255, lun 0-16383");
    }

    public override string ToString() => $"{Target}:{Lun}";
}
