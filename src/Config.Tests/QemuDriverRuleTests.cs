namespace Sealpod.Config.Tests;

/// <summary>
/// Issue 9.5: what the QEMU driver cannot build is refused once, by Config's validator, with the file position (these
/// rules used to be checked again, or only, by the QEMU command-line factory).
/// </summary>
public sealed class QemuDriverRuleTests
{
    [Theory]
    [InlineData("pc")]
    [InlineData("microvm")]
    [InlineData("pseries")]
    [InlineData("pc-i440fx-7.2")]
    [InlineData("pc-q35-")]
    public void Machine_types_the_driver_cannot_launch_are_refused_with_the_choices(string machineType)
    {
        Assert.Equal(
            [$"configuration.toml:4:16: hypervisor.qemu.machine_type: expected a QEMU machine type the driver supports (\"q35\", \"pc-q35-X.Y\", \"virt\", \"s390-ccw-virtio\"), found string \"{machineType}\""],
            Load.Errors(Load.MinimalQemu + $"machine_type = \"{machineType}\"\n"));
    }

    [Theory]
    [InlineData("q35", QemuMachineFamily.Q35, null)]
    [InlineData("pc-q35-7.2", QemuMachineFamily.Q35, "7.2")]
    [InlineData("virt", QemuMachineFamily.Virt, null)]
    [InlineData("s390-ccw-virtio", QemuMachineFamily.S390CcwVirtio, null)]
    public void Machine_types_parse_into_a_family_and_render_back(string text, QemuMachineFamily family, string? version)
    {
        var q = Assert.IsType<QemuConfig>(Load.Text(Load.MinimalQemu + $"machine_type = \"{text}\"\n").Hypervisor);

        Assert.Equal(new QemuMachineType(family, version), q.MachineType);
        Assert.Equal(text, q.MachineType.ToString());
    }

    [Theory]
    [InlineData("virtio-mmio")]
    [InlineData("nvdimm")]
    [InlineData("virtio-blk-ccw")]
    public void Block_drivers_the_driver_cannot_render_are_refused(string driver)
    {
        Assert.Equal(
            [$"configuration.toml:4:23: hypervisor.qemu.block_device_driver: \"{driver}\" is not supported by the QEMU driver: expected \"virtio-scsi\" or \"virtio-blk\""],
            Load.Errors(Load.MinimalQemu + $"block_device_driver = \"{driver}\"\n"));
    }

    [Fact]
    public void S390_takes_virtio_scsi_and_no_shared_file_system()
    {
        const string S390 = "[hypervisor.qemu]\ninitrd = \"/i.img\"\nmachine_type = \"s390-ccw-virtio\"\n";

        Assert.Equal(
            ["configuration.toml:5:23: hypervisor.qemu.block_device_driver: \"virtio-blk\" is not supported on s390x by the QEMU driver: expected \"virtio-scsi\" (a virtio-scsi-ccw controller)"],
            Load.Errors(S390 + "shared_fs = \"none\"\nblock_device_driver = \"virtio-blk\"\n"));
        Assert.Equal(
            ["configuration.toml:4:13: hypervisor.qemu.shared_fs: \"virtio-fs\" is not supported on s390x by the QEMU driver: expected \"none\""],
            Load.Errors(S390 + "shared_fs = \"virtio-fs\"\nvirtio_fs_daemon = \"/usr/libexec/virtiofsd\"\n"));
    }

    [Fact]
    public void A_confidential_guest_gets_no_host_controlled_file_system()
    {
        Assert.Equal(
            ["configuration.toml:4:13: hypervisor.qemu.shared_fs: \"virtio-fs\" would give a confidential guest a filesystem the host controls; confidential configurations use \"none\""],
            Load.Errors("[hypervisor.qemu]\ninitrd = \"/i.img\"\nconfidential_guest = true\nshared_fs = \"virtio-fs\"\nvirtio_fs_daemon = \"/usr/libexec/virtiofsd\"\n" + Load.TeeFirmware));
    }

    [Fact]
    public void X86_tees_need_q35()
    {
        Assert.Equal(
            ["configuration.toml:4:16: hypervisor.qemu.machine_type: SEV, SEV-SNP and TDX guests need q35 (or pc-q35-X.Y), found \"virt\" (IBM Secure Execution uses \"s390-ccw-virtio\")"],
            Load.Errors(Load.MinimalQemu + "machine_type = \"virt\"\nconfidential_guest = true\n" + Load.TeeFirmware));
    }
}
