namespace Sealpod.Config;

/// <summary><c>block_device_driver</c>.</summary>
public enum BlockDeviceDriver
{
    /// <summary><c>virtio-scsi</c> (QEMU default).</summary>
    VirtioScsi,

    /// <summary><c>virtio-blk</c> (Cloud Hypervisor default).</summary>
    VirtioBlk,

    /// <summary><c>virtio-mmio</c>; not allowed for confidential guests.</summary>
    VirtioMmio,

    /// <summary><c>nvdimm</c>; not allowed for confidential guests.</summary>
    Nvdimm,

    /// <summary><c>virtio-blk-ccw</c> (s390x).</summary>
    VirtioBlkCcw,
}
