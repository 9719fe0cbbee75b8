namespace Sealpod.Vmm;

/// <summary>A SCSI target and LUN on channel 0 of the sandbox's virtio-scsi controller; the agent's form is <c>ID:LUN</c>.</summary>
public sealed record ScsiAddress : GuestDeviceAddress
{
    private readonly Contract.Devices.ScsiAddress _address;

    /// <summary>Creates an address; QEMU's virtio-scsi allows targets 0..255 and LUNs 0..16383.</summary>
    public ScsiAddress(int scsiId, int lun)
    {
        _address = new Contract.Devices.ScsiAddress(scsiId, lun);
    }

    /// <summary>The SCSI target id.</summary>
    public int ScsiId => _address.Target;

    /// <summary>The logical unit number.</summary>
    public int Lun => _address.Lun;

    /// <inheritdoc />
    public override string ToString() => _address.ToString();
}
