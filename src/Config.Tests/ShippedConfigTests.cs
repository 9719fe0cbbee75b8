namespace Sealpod.Config.Tests;

/// <summary>The two configuration files Sealpod ships load cleanly and mean what their comments say.</summary>
public sealed class ShippedConfigTests
{
    [Fact]
    public async Task CocoDev_loads_without_warnings_and_targets_this_machine()
    {
        var config = await Load.ShippedAsync("configuration-qemu-coco-dev.toml");

        Assert.Empty(config.Warnings);
        Assert.Empty(config.UnmodelledKeys);
        var qemu = Assert.IsType<QemuConfig>(config.Hypervisor);
        Assert.Equal("/usr/bin/qemu-system-x86_64", qemu.Path);
        Assert.Equal("/usr/share/sealpod/vmlinux", qemu.Kernel);
        // No TEE: the uncompressed kernel at its PVH entry point, started by qboot rather than SeaBIOS (the shorter boot).
        Assert.Equal("/usr/share/sealpod/qboot.rom", qemu.Firmware);
        // The erofs root disk image over virtio-blk: nothing to unpack at boot.
        Assert.Equal("/usr/share/sealpod/sealpod-rootfs.img", qemu.Image);
        Assert.Equal(string.Empty, qemu.Initrd);
        Assert.False(qemu.BootsFromInitrd);
        Assert.Equal(RootfsType.Erofs, qemu.RootfsType);
        Assert.True(qemu.DisableImageNvdimm);
        Assert.Equal(QemuMachineType.Q35, qemu.MachineType);
        Assert.False(qemu.ConfidentialGuest);
        Assert.False(qemu.SevSnpGuest);
        Assert.Equal(SharedFs.None, qemu.SharedFs);
        Assert.True(qemu.DisableBlockDeviceUse);
        Assert.Equal(BlockDeviceDriver.VirtioScsi, qemu.BlockDeviceDriver);
        Assert.Equal(1024, qemu.DefaultMemoryMiB);
        Assert.Equal(1f, qemu.DefaultVcpus);
        Assert.Equal(10, qemu.MemorySlots);
        Assert.Equal("pmu=off", qemu.CpuFeatures);
        Assert.Empty(qemu.KernelParams);
        Assert.Equal(["/usr/bin/qemu-system-x86_64"], qemu.ValidHypervisorPaths);
        Assert.Equal(
            ["enable_iommu", "kernel_params", "default_vcpus", "default_memory", "cc_init_data"],
            qemu.EnableAnnotations);
        Assert.Equal(TimeSpan.FromSeconds(45), config.Agent.DialTimeout);
        Assert.Equal(TimeSpan.FromSeconds(120), config.Runtime.CreateContainerTimeout);
        Assert.True(config.Runtime.StaticSandboxResourceMgmt);
        Assert.Equal(EmptyDirMode.BlockEncrypted, config.Runtime.EmptyDirMode);
        Assert.Equal(InternetworkingModel.TcFilter, config.Runtime.InternetworkingModel);
        Assert.True(config.Runtime.DisableGuestSeccomp);
        Assert.False(config.Runtime.SandboxCgroupOnly);
        Assert.False(config.Runtime.ExperimentalForceGuestPull);
        Assert.Single(config.SourceFiles);
    }

    [Fact]
    public async Task Qemu_loads_without_warnings_with_Kata_defaults()
    {
        var config = await Load.ShippedAsync("configuration-qemu.toml");

        Assert.Empty(config.Warnings);
        var qemu = Assert.IsType<QemuConfig>(config.Hypervisor);
        Assert.Equal(SharedFs.VirtioFs, qemu.SharedFs);
        Assert.Equal("/usr/lib/qemu/virtiofsd", qemu.VirtioFsDaemon);
        Assert.Equal(VirtioFsCacheMode.Auto, qemu.VirtioFsCache);
        Assert.Equal(["--thread-pool-size=1", "-o", "announce_submounts"], qemu.VirtioFsExtraArgs);
        Assert.Equal(2048, qemu.DefaultMemoryMiB);
        Assert.Equal(10, qemu.MemorySlots);
        Assert.False(qemu.DisableBlockDeviceUse);
        Assert.False(config.Runtime.StaticSandboxResourceMgmt);
        Assert.Equal(EmptyDirMode.SharedFs, config.Runtime.EmptyDirMode);
        Assert.Equal(TimeSpan.FromSeconds(60), config.Runtime.CreateContainerTimeout);
        Assert.Equal(["enable_iommu", "kernel_params"], qemu.EnableAnnotations);
        Assert.Equal("/usr/share/sealpod/sealpod-rootfs.img", qemu.Image);
        Assert.Equal(RootfsType.Erofs, qemu.RootfsType);
        Assert.True(qemu.DisableImageNvdimm);
    }

    [Fact]
    public async Task Every_path_in_the_shipped_files_lives_under_the_install_prefix_or_the_system()
    {
        // The Makefile makes a build-local copy by replacing /usr/share/sealpod; any other Sealpod path would escape it.
        foreach (var name in new[] { "configuration-qemu-coco-dev.toml", "configuration-qemu.toml" })
        {
            var config = await Load.ShippedAsync(name);
            var h = config.Hypervisor;
            Assert.StartsWith("/usr/share/sealpod/", h.Kernel, StringComparison.Ordinal);
            Assert.StartsWith("/usr/share/sealpod/", h.Image, StringComparison.Ordinal);
        }
    }
}
