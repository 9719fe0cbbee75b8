namespace Sealpod.Config;

/// <summary>Kata's spellings for every choice-valued key; drivers use <c>NameOf</c> to render values into arguments.</summary>
public static class ConfigChoices
{
    public static ConfigChoice<HypervisorKind> HypervisorKind { get; } = new(
        [new(Config.HypervisorKind.Qemu, "qemu"), new(Config.HypervisorKind.CloudHypervisor, "clh")]);

    public static ConfigChoice<SharedFs> SharedFs { get; } = new(
    [
        new(Config.SharedFs.VirtioFs, "virtio-fs"),
        new(Config.SharedFs.VirtioFsNydus, "virtio-fs-nydus"),
        new(Config.SharedFs.Virtio9p, "virtio-9p"),
        new(Config.SharedFs.None, "none"),
    ]);

    public static ConfigChoice<BlockDeviceDriver> BlockDeviceDriver { get; } = new(
    [
        new(Config.BlockDeviceDriver.VirtioScsi, "virtio-scsi"),
        new(Config.BlockDeviceDriver.VirtioBlk, "virtio-blk"),
        new(Config.BlockDeviceDriver.VirtioMmio, "virtio-mmio"),
        new(Config.BlockDeviceDriver.Nvdimm, "nvdimm"),
        new(Config.BlockDeviceDriver.VirtioBlkCcw, "virtio-blk-ccw"),
    ]);

    public static ConfigChoice<BlockDeviceAio> BlockDeviceAio { get; } = new(
    [
        new(Config.BlockDeviceAio.IoUring, "io_uring"),
        new(Config.BlockDeviceAio.Native, "native"),
        new(Config.BlockDeviceAio.Threads, "threads"),
    ]);

    public static ConfigChoice<VirtioFsCacheMode> VirtioFsCache { get; } = new(
    [
        new(VirtioFsCacheMode.Never, "never"),
        new(VirtioFsCacheMode.Metadata, "metadata"),
        new(VirtioFsCacheMode.Auto, "auto"),
        new(VirtioFsCacheMode.Always, "always"),
    ],
    [new("none", VirtioFsCacheMode.Never)]);

    public static ConfigChoice<KbsMode> KbsMode { get; } = new(
        [new(Config.KbsMode.Online, "online"), new(Config.KbsMode.Offline, "offline")]);

    public static ConfigChoice<InternetworkingModel> InternetworkingModel { get; } = new(
    [
        new(Config.InternetworkingModel.TcFilter, "tcfilter"),
        new(Config.InternetworkingModel.MacVtap, "macvtap"),
        new(Config.InternetworkingModel.None, "none"),
    ],
    [new("default", Config.InternetworkingModel.TcFilter)]);

    public static ConfigChoice<EmptyDirMode> EmptyDirMode { get; } = new(
    [
        new(Config.EmptyDirMode.SharedFs, "shared-fs"),
        new(Config.EmptyDirMode.BlockEncrypted, "block-encrypted"),
        new(Config.EmptyDirMode.BlockPlain, "block-plain"),
    ]);

    public static ConfigChoice<VfioMode> VfioMode { get; } = new(
        [new(Config.VfioMode.GuestKernel, "guest-kernel"), new(Config.VfioMode.Vfio, "vfio")]);

    public static ConfigChoice<PciePort> PciePort { get; } = new(
    [
        new(Config.PciePort.NoPort, "no-port"),
        new(Config.PciePort.BridgePort, "bridge-port"),
        new(Config.PciePort.RootPort, "root-port"),
        new(Config.PciePort.SwitchPort, "switch-port"),
    ]);

    public static ConfigChoice<ExtraMonitorSocket> ExtraMonitorSocket { get; } = new(
    [
        new(Config.ExtraMonitorSocket.None, string.Empty),
        new(Config.ExtraMonitorSocket.Hmp, "hmp"),
        new(Config.ExtraMonitorSocket.Qmp, "qmp"),
        new(Config.ExtraMonitorSocket.QmpPretty, "qmp-pretty"),
    ]);

    public static ConfigChoice<RootfsType> RootfsType { get; } = new(
    [
        new(Config.RootfsType.Ext4, "ext4"),
        new(Config.RootfsType.Xfs, "xfs"),
        new(Config.RootfsType.Erofs, "erofs"),
    ]);
}
