namespace Sealpod.Vmm;

/// <summary>How block devices appear in the guest (Kata's <c>block_device_driver</c>).</summary>
public enum GuestBlockDriver
{
    /// <summary>SCSI disks on one virtio-scsi controller (<c>virtio-scsi</c>, the CoCo default).</summary>
    VirtioScsi,

    /// <summary>One virtio-blk PCI device per disk (<c>virtio-blk</c>).</summary>
    VirtioBlk,
}
