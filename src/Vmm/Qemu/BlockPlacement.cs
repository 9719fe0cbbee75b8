namespace Sealpod.Vmm.Qemu;

/// <summary>
/// Where one disk sits in the VM: its backend node, its frontend device and bus position, and the
/// guest address that follows from them. Renders both as command-line records (boot time) and as
/// QMP arguments (hotplug), so the two paths cannot drift apart.
/// </summary>
internal sealed record BlockPlacement(BlockDevice Device, GuestBlockDriver Driver, string Bus, GuestDeviceAddress GuestAddress, int? PciSlot)
{
    /// <summary>The backend's node name.</summary>
    public string NodeName => "drive-" + Device.Id;

    /// <summary>The frontend's device id (what device_del and DEVICE_DELETED name).</summary>
    public string DeviceId => "disk-" + Device.Id;

    /// <summary>The backend as a <c>-blockdev</c>.</summary>
    public Blockdev ToBlockdev(BlockBackendOptions options) => new(NodeName, Device.Path)
    {
        ReadOnly = Device.ReadOnly,
        Aio = options.Aio,
        CacheDirect = options.CacheDirect,
        CacheNoFlush = options.CacheNoFlush,
    };

    /// <summary>The frontend as a <c>-device</c>.</summary>
    public IQemuArgs ToFrontend() => GuestAddress switch
    {
        ScsiAddress scsi => new ScsiHd(DeviceId, NodeName, Bus, scsi) { Serial = Device.Serial },
        _ => new VirtioBlkPci(DeviceId, NodeName) { Address = new PciAddress(Bus, PciSlot), Serial = Device.Serial },
    };

    /// <summary>The backend as <c>blockdev-add</c> arguments.</summary>
    public BlockdevAddArguments ToBlockdevAdd(BlockBackendOptions options) => new()
    {
        NodeName = NodeName,
        ReadOnly = Device.ReadOnly,
        Cache = options.CacheDirect is null && options.CacheNoFlush is null
            ? null
            : new BlockdevCacheArguments { Direct = options.CacheDirect ?? false, NoFlush = options.CacheNoFlush ?? false },
        File = new BlockdevFileArguments { Filename = Device.Path, Aio = options.Aio },
    };

    /// <summary>The frontend as <c>device_add</c> arguments.</summary>
    public DeviceAddArguments ToDeviceAdd() => GuestAddress switch
    {
        ScsiAddress scsi => new DeviceAddArguments
        {
            Driver = "scsi-hd",
            Id = DeviceId,
            Drive = NodeName,
            Bus = Bus,
            Channel = 0,
            ScsiId = scsi.ScsiId,
            Lun = scsi.Lun,
            Serial = Device.Serial,
        },
        _ => new DeviceAddArguments
        {
            Driver = "virtio-blk-pci",
            Id = DeviceId,
            Drive = NodeName,
            Bus = Bus,
            Addr = new PciAddress(Bus, PciSlot).Addr,
            Serial = Device.Serial,
        },
    };
}
