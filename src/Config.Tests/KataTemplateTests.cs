namespace Sealpod.Config.Tests;

/// <summary>Files written for Kata load unchanged: every key recognised (no warnings), values as Kata reads them.</summary>
public sealed class KataTemplateTests
{
    [Fact]
    public async Task Kata_qemu_snp_template()
    {
        var config = await Load.FixtureAsync("kata-qemu-snp.toml");

        Assert.Empty(config.Warnings);
        Assert.Empty(config.UnmodelledKeys);
        var q = Assert.IsType<QemuConfig>(config.Hypervisor);
        Assert.True(q.ConfidentialGuest);
        Assert.True(q.SevSnpGuest);
        Assert.Equal(0x30000UL, q.SnpGuestPolicy);
        Assert.Equal("/opt/kata/share/ovmf/AMDSEV.fd", q.Firmware);
        Assert.Equal("cgroup_no_v1=all systemd.unified_cgroup_hierarchy=1", q.KernelParams.ToString());
        Assert.Equal("on,obsolete=deny,spawn=deny,resourcecontrol=deny", q.SeccompSandbox);
        Assert.Equal(BlockDeviceAio.IoUring, q.BlockDeviceAio);
        Assert.True(q.DisableNestingChecks);
        Assert.Equal(["/dev/urandom", "/dev/random", string.Empty], q.ValidEntropySources);
        Assert.Equal(TimeSpan.FromSeconds(90), config.Agent.DialTimeout);
        Assert.Equal(TimeSpan.FromSeconds(6), config.Agent.LaunchProcessTimeout);
        Assert.Equal("/var/lib/kubelet", config.Runtime.KubeletRootDir);
    }

    [Fact]
    public async Task Kata_qemu_tdx_template()
    {
        var config = await Load.FixtureAsync("kata-qemu-tdx.toml");

        Assert.Empty(config.Warnings);
        var q = Assert.IsType<QemuConfig>(config.Hypervisor);
        Assert.Equal(4050, q.TdxQuoteGenerationServiceSocketPort);
        Assert.Equal(PciePort.RootPort, q.ColdPlugVfio);
        Assert.Equal(ExtraMonitorSocket.None, q.ExtraMonitorSocket);
        Assert.Equal(TimeSpan.FromSeconds(60), config.Agent.DialTimeout);
        Assert.Equal(TimeSpan.FromSeconds(50), config.Agent.CdhApiTimeout);
    }

    [Fact]
    public async Task Microsoft_clh_snp_configuration()
    {
        var config = await Load.FixtureAsync("kata-clh-snp.toml");

        Assert.Empty(config.Warnings);
        var c = Assert.IsType<CloudHypervisorConfig>(config.Hypervisor);
        Assert.Equal(HypervisorKind.CloudHypervisor, c.Kind);
        Assert.Equal("/usr/share/cloud-hypervisor/kata-containers-igvm.img", c.Igvm);
        Assert.True(c.SevSnpGuest);
        Assert.True(c.DisableSeccomp);
        Assert.Equal(256, c.DefaultMemoryMiB);
        Assert.True(config.Runtime.SandboxCgroupOnly);
    }

    [Fact]
    public void Defaults_are_Katas_when_keys_are_absent()
    {
        var config = Load.Text(Load.MinimalQemu);
        var q = Assert.IsType<QemuConfig>(config.Hypervisor);

        Assert.Equal("/usr/bin/qemu-system-x86_64", q.Path);
        Assert.Equal(QemuMachineType.Q35, q.MachineType);
        Assert.Equal(1f, q.DefaultVcpus);
        Assert.Equal(0, q.DefaultMaxVcpus);
        Assert.Equal(2048, q.DefaultMemoryMiB);
        Assert.Equal(10, q.MemorySlots);
        Assert.Equal(1, q.DefaultBridges);
        Assert.Equal(BlockDeviceDriver.VirtioScsi, q.BlockDeviceDriver);
        Assert.Equal(BlockDeviceAio.IoUring, q.BlockDeviceAio);
        Assert.Equal(8192, q.Msize9p);
        Assert.Equal("/dev/urandom", q.EntropySource);
        Assert.Equal(0x30000UL, q.SnpGuestPolicy);
        Assert.Equal(TimeSpan.FromSeconds(45), config.Agent.DialTimeout);
        Assert.Equal(TimeSpan.FromSeconds(50), config.Agent.CdhApiTimeout);
        Assert.Equal(InternetworkingModel.TcFilter, config.Runtime.InternetworkingModel);
        Assert.True(config.Runtime.DisableGuestSeccomp);
        Assert.Equal(TimeSpan.FromSeconds(60), config.Runtime.CreateContainerTimeout);
        Assert.Equal(EmptyDirMode.SharedFs, config.Runtime.EmptyDirMode);
        Assert.Equal("/run/vc/vm/template", config.Factory.TemplatePath);
        Assert.Equal("kata", config.Agent.Name);
        Assert.True(q.DisableGuestSeLinux);
    }

    [Fact]
    public void Older_Kata_spellings_are_accepted()
    {
        var config = Load.Text(Load.MinimalQemu + "virtio_fs_cache = \"none\"\n[runtime]\ninternetworking_model = \"default\"\n");

        Assert.Equal(VirtioFsCacheMode.Never, config.Hypervisor.VirtioFsCache);
        Assert.Equal(InternetworkingModel.TcFilter, config.Runtime.InternetworkingModel);
    }

    [Fact]
    public void Choice_names_render_back_as_Kata_writes_them()
    {
        Assert.Equal("virtio-blk-ccw", ConfigChoices.BlockDeviceDriver.NameOf(BlockDeviceDriver.VirtioBlkCcw));
        Assert.Equal("io_uring", ConfigChoices.BlockDeviceAio.NameOf(BlockDeviceAio.IoUring));
        Assert.Equal("block-encrypted", ConfigChoices.EmptyDirMode.NameOf(EmptyDirMode.BlockEncrypted));
        Assert.Equal("clh", ConfigChoices.HypervisorKind.NameOf(HypervisorKind.CloudHypervisor));
        Assert.Throws<FormatException>(() => ConfigChoices.SharedFs.Parse("nfs"));
    }
}
