namespace Sealpod.Vmm;

/// <summary>
/// Where the guest finds a device, in the form the Kata agent expects in a Storage's
/// <c>source</c>: a PCI path for virtio-blk, a SCSI address for virtio-scsi.
/// </summary>
public abstract record GuestDeviceAddress
{
    /// <summary>The agent's textual form.</summary>
    public abstract override string ToString();
}
