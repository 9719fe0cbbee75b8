namespace Sealpod.Vmm.Tests.Qemu;

/// <summary>
/// The whole argv for representative configurations, compared line by line with reviewed
/// fixtures (Fixtures/*.args, one argument per line). Any change to rendering shows up as a
/// fixture diff. Regenerate with SEALPOD_UPDATE_GOLDEN=1.
/// </summary>
public sealed class QemuCommandLineGoldenTests
{
    [Fact]
    public void Coco_dev_under_tcg_with_the_agent_on_virtio_serial()
    {
        var request = TestConfigs.Request("coco-dev-1", TestConfigs.CocoDev);

        Golden.AssertArgs("qemu-coco-dev-tcg-serial.args", QemuCommandLineFactory.Create(request).Build());
    }

    [Fact]
    public void Kvm_with_vsock_virtio_blk_an_initdata_disk_and_user_kernel_parameters()
    {
        var config = TestConfigs.CocoDev with
        {
            BlockDeviceDriver = BlockDeviceDriver.VirtioBlk,
            BlockDeviceAio = BlockDeviceAio.IoUring,
            DefaultVcpus = 2,
            DefaultMaxVcpus = 4,
            DefaultBridges = 2,
            Firmware = "/usr/share/ovmf/OVMF.fd",
            KernelParams = KernelParameters.Parse("agent.log=debug quiet panic=0"),
            SeccompSandbox = "on,obsolete=deny,spawn=deny,resourcecontrol=deny",
            EntropySource = "/dev/random",
        };
        var spec = TestConfigs.Spec("kvm-blk") with
        {
            ExtraKernelParameters = ["agent.aa_kbc_params=cc_kbc::http://10.0.0.1:8080", "agent.log=info"],
            BlockDevices = [new BlockDevice { Id = "initdata", Path = "/run/sealpod/vm/kvm-blk/initdata.img", Serial = "initdata" }],
        };
        var request = TestConfigs.Request("kvm-blk", config, spec) with
        {
            Accelerator = Accelerator.Kvm,
            AgentEndpoint = new VsockAgentEndpoint(1234, VsockAgentEndpoint.DefaultPort),
            Host = new HostResources(Cpus: 8, MemoryMiB: 16000),
        };

        Golden.AssertArgs("qemu-kvm-vsock-blk-initdata.args", QemuCommandLineFactory.Create(request).Build());
    }

    [Fact]
    public void Two_pod_nics_get_inherited_tap_descriptors_from_3_on_with_vhost_only_where_allowed()
    {
        // The descriptors' own numbers do not matter: QEMU gets them at 3, 4 ... in NIC order.
        using var first = File.OpenHandle("/dev/null");
        using var second = File.OpenHandle("/dev/null");
        var spec = TestConfigs.Spec("pod-net") with
        {
            NetworkInterfaces =
            [
                new VmNetworkInterface { Id = "net0", TapName = "tap0_kata", TapQueues = [first], MacAddress = System.Net.NetworkInformation.PhysicalAddress.Parse("0A-58-0A-58-00-07"), Mtu = 1500 },
                new VmNetworkInterface { Id = "net1", TapName = "tap1_kata", TapQueues = [second], MacAddress = System.Net.NetworkInformation.PhysicalAddress.Parse("02-42-AC-11-00-02"), Mtu = 9000, Vhost = false },
            ],
        };
        var request = TestConfigs.Request("pod-net", TestConfigs.CocoDev, spec) with { VhostNet = true };

        var plan = QemuCommandLineFactory.Plan(request);

        Golden.AssertArgs("qemu-tcg-tap-nics.args", plan.CommandLine.Build());
        Assert.Equal([first, second], plan.PassedDescriptors);
    }

    [Fact]
    public void Without_vhost_net_on_the_host_no_nic_asks_for_it()
    {
        using var tap = File.OpenHandle("/dev/null");
        var spec = TestConfigs.Spec("pod-net") with
        {
            NetworkInterfaces = [new VmNetworkInterface { Id = "net0", TapName = "tap0_kata", TapQueues = [tap], MacAddress = System.Net.NetworkInformation.PhysicalAddress.Parse("0A-58-0A-58-00-07") }],
        };
        var request = TestConfigs.Request("pod-net", TestConfigs.CocoDev, spec) with { VhostNet = false };

        var argv = QemuCommandLineFactory.Create(request).Build();

        Assert.Contains("tap,id=network-net0,fd=3", argv);
        Assert.Contains("virtio-net-pci,netdev=network-net0,mac=0a:58:0a:58:00:07,id=net0,romfile=", argv);
        Assert.DoesNotContain(argv, a => a.Contains("vhost=on", StringComparison.Ordinal));
    }

    [Fact]
    public void A_nic_with_a_multicast_mac_or_two_queues_is_refused_naming_the_field()
    {
        using var tap = File.OpenHandle("/dev/null");
        var multicast = new VmNetworkInterface { Id = "net0", TapName = "tap0_kata", TapQueues = [tap], MacAddress = System.Net.NetworkInformation.PhysicalAddress.Parse("01-00-5E-00-00-01") };
        var twoQueues = multicast with { MacAddress = System.Net.NetworkInformation.PhysicalAddress.Parse("0A-58-0A-58-00-07"), TapQueues = [tap, tap] };

        Assert.Equal("MacAddress", Assert.Throws<ArgumentException>(multicast.Validate).ParamName);
        Assert.Equal("TapQueues", Assert.Throws<ArgumentException>(twoQueues.Validate).ParamName);
    }

    [Fact]
    public void Paused_start_with_pflash_firmware_a_pinned_machine_and_explicit_cache_mode()
    {
        var config = TestConfigs.CocoDev with
        {
            MachineType = QemuMachineType.Parse("pc-q35-7.2"),
            MachineAccelerators = " nvdimm=off , smm=off",
            CpuFeatures = "",
            Firmware = "/usr/share/OVMF/OVMF_CODE.fd",
            FirmwareVolume = "/run/sealpod/vm/paused/OVMF_VARS.fd",
            DefaultMaxMemoryMiB = 4096,
            MemoryOffsetMiB = 1024,
            BlockDeviceAio = BlockDeviceAio.Native,
            BlockDeviceCacheSet = true,
            BlockDeviceCacheDirect = true,
            EntropySource = "",
            EnableDebug = true,
            DisableGuestSeLinux = false,
        };
        var spec = TestConfigs.Spec("paused") with
        {
            StartPaused = true,
            BlockDevices =
            [
                new BlockDevice { Id = "a", Path = "/images/a.raw" },
                new BlockDevice { Id = "b", Path = "/images/b.raw", ReadOnly = false },
            ],
        };
        var request = TestConfigs.Request("paused", config, spec);

        Golden.AssertArgs("qemu-paused-pflash-scsi.args", QemuCommandLineFactory.Create(request).Build());
    }

    [Fact]
    [Trait(TestCategories.Name, TestCategories.Vm)]
    public void The_kvm_boot_test_boots_the_kernel_alone()
    {
        Golden.AssertArgs(
            "qemu-boot-test-kvm.args",
            QemuBootTest.CommandLine(Accelerator.Kvm, "/usr/share/sealpod/vmlinuz", "/var/lib/sealpod/accel/boot-test-1/console.log").Build());
    }
}
