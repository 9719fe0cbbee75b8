using Sealpod.Vmm.Qemu.Args;

namespace Sealpod.Vmm.Qemu;

/// <summary>
/// The guest's root disk image (Kata's <c>image</c> with <c>disable_image_nvdimm = true</c>): a read-only raw
/// virtio-blk disk on the root bus, whose first partition the kernel mounts as <c>/</c>, so no initramfs is unpacked.
/// The runtime's other virtio-blk disks sit on the PCI bridges, which the guest enumerates after the root bus: this
/// disk is always <c>vda</c>, as Kata's <c>/dev/vda1</c> assumes.
/// </summary>
/// <param name="Path">The image file.</param>
/// <param name="FileSystem">The file system of its first partition (<c>rootfs_type</c>).</param>
internal sealed record RootDiskImage(string Path, RootfsType FileSystem)
{
    /// <summary>The backend's node name and the frontend's id.</summary>
    public const string Id = "image";

    /// <summary>Where the guest finds the root file system (Kata's VirtioBlk rootfs driver).</summary>
    public const string GuestDevice = "/dev/vda1";

    /// <summary>The backend: read-only, opened as the runtime's other disks are (<c>block_device_aio</c>, cache).</summary>
    public Blockdev ToBlockdev(BlockBackendOptions options) => new(Id, Path)
    {
        ReadOnly = true,
        Aio = options.Aio,
        CacheDirect = options.CacheDirect,
        CacheNoFlush = options.CacheNoFlush,
    };

    /// <summary>The frontend, on the root bus at the first free slot.</summary>
    public VirtioBlkPci ToFrontend() => new(Id, Id);

    /// <summary>
    /// Kata's root parameters for a virtio-blk root (runtime-rs <c>new_rootfs_kernel_params</c>, the Go runtime's
    /// <c>GetKernelRootParams</c>): <c>root</c>, <c>rootflags</c> and <c>rootfstype</c>. Two deliberate differences:
    /// a bare <c>ro</c> for every file system (Kata's ext4 flags carry it after a space, its erofs and xfs ones do not):
    /// the disk is attached read-only, and the kernel must not try a read-write mount of it first; and xfs gets no
    /// ext4 options (Kata passes ext4's <c>data=ordered,errors=remount-ro</c> for xfs too, and xfs refuses the mount
    /// with them).
    /// </summary>
    public IEnumerable<KernelParameter> KernelParameters() =>
    [
        new("root", GuestDevice),
        new("rootflags", FileSystem == RootfsType.Ext4 ? "data=ordered,errors=remount-ro" : "ro"),
        new("ro", null),
        new("rootfstype", ConfigChoices.RootfsType.NameOf(FileSystem)),
    ];
}
