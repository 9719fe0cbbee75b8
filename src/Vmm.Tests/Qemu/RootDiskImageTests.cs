using Sealpod.Tee.KernelParams;

namespace Sealpod.Vmm.Tests.Qemu;

/// <summary>
/// Kata's <c>image</c> with <c>disable_image_nvdimm = true</c>: the root disk image as a read-only virtio-blk disk and
/// Kata's root parameters, the file system from <c>rootfs_type</c>; what the driver cannot boot from an image is
/// refused naming the key.
/// </summary>
public sealed class RootDiskImageTests
{
    private const string ImagePath = "/usr/share/sealpod/sealpod-rootfs.img";

    private static QemuConfig ImageConfig => TestConfigs.CocoDev with
    {
        Initrd = string.Empty,
        Image = ImagePath,
        RootfsType = RootfsType.Erofs,
        DisableImageNvdimm = true,
    };

    private static IReadOnlyList<string> Build(QemuConfig config) => QemuCommandLineFactory.Create(TestConfigs.Request("img", config)).Build();

    [Fact]
    public void Coco_dev_booting_the_erofs_image_with_an_initdata_disk_on_virtio_blk()
    {
        var config = ImageConfig with { BlockDeviceDriver = BlockDeviceDriver.VirtioBlk, BlockDeviceAio = BlockDeviceAio.IoUring };
        var spec = TestConfigs.Spec("img") with
        {
            BlockDevices = [new BlockDevice { Id = "initdata", Path = "/run/sealpod/vm/img/initdata.img", Serial = "initdata" }],
        };

        Golden.AssertArgs("qemu-coco-dev-tcg-image.args", QemuCommandLineFactory.Create(TestConfigs.Request("img", config, spec)).Build());
    }

    [Theory]
    [InlineData(RootfsType.Erofs, "root=/dev/vda1 rootflags=ro ro rootfstype=erofs")]
    [InlineData(RootfsType.Ext4, "root=/dev/vda1 rootflags=data=ordered,errors=remount-ro ro rootfstype=ext4")]
    [InlineData(RootfsType.Xfs, "root=/dev/vda1 rootflags=ro ro rootfstype=xfs")]
    public void The_root_parameters_name_the_first_partition_and_the_configured_file_system(RootfsType type, string expected)
    {
        var args = Build(ImageConfig with { RootfsType = type });

        Assert.Contains(" " + expected + " ", " " + Argv.ValueOf(args, "-append") + " ", StringComparison.Ordinal);
        Assert.DoesNotContain("-initrd", args);
        Assert.Equal("driver=raw,node-name=image,read-only=on,file.driver=file,file.filename=" + ImagePath + ",file.aio=threads", Argv.ValueOf(args, "-blockdev"));
        Assert.Contains("virtio-blk-pci,drive=image,id=image", args);
    }

    [Fact]
    public void Kernel_params_may_replace_the_root_parameters_as_in_Kata()
    {
        var args = Build(ImageConfig with { KernelParams = KernelParameters.Parse("rootflags=noatime") });

        var append = Argv.ValueOf(args, "-append");
        Assert.Contains("rootflags=noatime", append, StringComparison.Ordinal);
        Assert.DoesNotContain("rootflags=ro", append, StringComparison.Ordinal);
    }

    [Fact]
    public void An_initrd_boot_gets_no_root_disk_or_root_parameters()
    {
        var args = Build(TestConfigs.CocoDev);

        Assert.Equal(TestConfigs.CocoDev.Initrd, Argv.ValueOf(args, "-initrd"));
        Assert.DoesNotContain("root=", Argv.ValueOf(args, "-append"), StringComparison.Ordinal);
        Assert.DoesNotContain("-blockdev", args);
    }

    [Fact]
    public void Kata_default_nvdimm_mapping_is_refused_naming_disable_image_nvdimm()
    {
        var error = Assert.Throws<HypervisorConfigurationException>(() => Build(ImageConfig with { DisableImageNvdimm = false }));

        Assert.Equal("hypervisor.qemu.disable_image_nvdimm", error.Key);
        Assert.Contains("set disable_image_nvdimm = true", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void S390x_has_no_virtio_blk_pci_for_the_image_and_is_refused()
    {
        var error = Assert.Throws<HypervisorConfigurationException>(() =>
            Build(ImageConfig with { Path = "/usr/bin/qemu-system-s390x", MachineType = QemuMachineType.S390CcwVirtio, CpuFeatures = string.Empty }));

        Assert.Equal("hypervisor.qemu.image", error.Key);
        Assert.Contains("s390-ccw-virtio", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Verity_parameters_are_refused_rather_than_booting_an_unverified_root()
    {
        var error = Assert.Throws<HypervisorConfigurationException>(() =>
            Build(ImageConfig with { KernelVerityParams = "root_hash=00,salt=00,data_blocks=1,data_block_size=4096,hash_block_size=4096" }));

        Assert.Equal("hypervisor.qemu.kernel_verity_params", error.Key);
    }

    [Fact]
    public void A_confidential_guest_with_an_image_is_refused_at_launch_and_by_the_measured_boot()
    {
        var config = ImageConfig with { ConfidentialGuest = true, Firmware = "/usr/share/sealpod/AMDSEV.fd" };
        var tee = new SevSnpLaunch { Policy = 0x30000, CBitPosition = 51, ReducedPhysBits = 1, Firmware = config.Firmware };
        var request = TestConfigs.Request("img", config) with { Accelerator = Accelerator.Kvm, Tee = tee };

        var launch = Assert.Throws<HypervisorConfigurationException>(() => QemuCommandLineFactory.Create(request));
        var measured = Assert.Throws<HypervisorConfigurationException>(() => QemuCommandLineFactory.MeasuredBoot(config, new AgentConfig(), tee, TestConfigs.Host));

        Assert.Equal("hypervisor.qemu.image", launch.Key);
        Assert.Contains("not measured", launch.Message, StringComparison.Ordinal);
        Assert.Equal(launch.Message, measured.Message);
    }
}
