using System.Globalization;

namespace Sealpod.Vmm;

/// <summary>A SCSI target and LUN on channel 0 of the sandbox's virtio-scsi controller; the agent's form is <c>ID:LUN</c>.</summary>
public sealed record ScsiAddress : GuestDeviceAddress
{
    /// <summary>Creates an address; QEMU's virtio-scsi allows targets 0..255 and LUNs 0..16383.</summary>
    public ScsiAddress(int scsiId, int lun)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(scsiId);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(scsiId, 255);
        ArgumentOutOfRangeException.ThrowIfNegative(lun);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(lun, 16383);
        ScsiId = scsiId;
        Lun = lun;
    }

    /// <summary>The SCSI target id.</summary>
    public int ScsiId { get; }

    /// <summary>The logical unit number.</summary>
    public int Lun { get; }

    /// <inheritdoc />
    public override string ToString() =>
        ScsiId.ToString(CultureInfo.InvariantCulture) + ":" + Lun.ToString(CultureInfo.InvariantCulture);
}
