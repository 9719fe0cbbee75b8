using Xunit.Abstractions;

namespace Sealpod.Vmm.Tests.Qemu;

public sealed class QemuCommandLineFactoryTests(ITestOutputHelper output)
{
    private static QemuLaunchRequest Request(QemuConfig config, VmSpec? spec = null, HostResources? host = null) => new()
    {
        Config = config,
        Spec = spec ?? Spec(),
        Accelerator = Accelerator.Tcg,
        Files = new QemuVmFiles("/run/vm/s1"),
        AgentEndpoint = new VirtioSerialAgentEndpoint("/run/vm/s1/agent.sock", "agent.channel.0"),
        Host = host ?? TestConfigs.Host,
    };

    /// <summary>Sandbox s1's VM request with <paramref name="disks"/>.</summary>
    private static VmSpec Spec(params BlockDevice[] disks) => new() { SandboxId = "s1", RuntimeDirectory = "/run/vm/s1", BlockDevices = disks };

    private static IReadOnlyList<string> Build(QemuConfig config, VmSpec? spec = null, HostResources? host = null) =>
        QemuCommandLineFactory.Create(Request(config, spec, host)).Build();

    [Fact]
    public void A_confidential_guest_without_a_planned_tee_is_refused()
    {
        var error = Assert.Throws<HypervisorConfigurationException>(() => Build(TestConfigs.CocoDev with { ConfidentialGuest = true }));
        Assert.Equal("hypervisor.qemu.confidential_guest", error.Key);
        Assert.Equal("hypervisor.qemu.confidential_guest: is true, but no TEE was planned for this launch (the driver plans it with TeePlanner)", error.Message);
    }

    // Machine types and block drivers the driver cannot build are Config's rules now: Config.Tests/QemuDriverRuleTests.

    // Root disk images: RootDiskImageTests.

    [Theory]
    [InlineData(Accelerator.Tcg)]
    [InlineData(Accelerator.Kvm)]
    public void A_pod_guest_gets_no_chipset_sata_or_smbus_controller(Accelerator accelerator)
    {
        var args = QemuCommandLineFactory.Create(Request(TestConfigs.CocoDev) with { Accelerator = accelerator }).Build();
        var machine = Argv.ValueOf(args, "-machine").Split(',');
        Assert.Contains("sata=off", machine);
        Assert.Contains("smbus=off", machine);
    }

    [Theory]
    [InlineData(1f, 0, 1, 8)]       // maxvcpus 0 = host CPUs
    [InlineData(1.5f, 4, 2, 4)]     // fractional rounds up
    [InlineData(-1f, 0, 8, 8)]      // negative = all host CPUs
    [InlineData(16f, 32, 8, 8)]     // never more than the host has
    public void Vcpus_resolve_against_the_host_like_kata(float vcpus, int maxVcpus, int expectedCpus, int expectedMax)
    {
        var args = Build(TestConfigs.CocoDev with { DefaultVcpus = vcpus, DefaultMaxVcpus = maxVcpus }, host: new HostResources(8, 16000));
        Assert.Equal($"{expectedCpus},cores=1,threads=1,sockets={expectedMax},maxcpus={expectedMax}", Argv.ValueOf(args, "-smp"));
        Assert.Contains($"nr_cpus={expectedMax}", Argv.ValueOf(args, "-append"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0L, 10, "2048M,slots=10,maxmem=16000M")]
    [InlineData(4096L, 10, "2048M,slots=10,maxmem=4096M")]
    [InlineData(1024L, 10, "2048M")] // a maximum below the boot size leaves no room to hotplug
    [InlineData(0L, 0, "2048M")]     // no slots, no hotplug
    public void Memory_hotplug_headroom_follows_default_maxmemory(long maxMemory, int slots, string expected)
    {
        var args = Build(TestConfigs.CocoDev with { DefaultMaxMemoryMiB = maxMemory, MemorySlots = slots }, host: new HostResources(8, 16000));
        Assert.Equal(expected, Argv.ValueOf(args, "-m"));
    }

    [Fact]
    public void Kernel_parameters_from_config_replace_defaults_and_spec_parameters_replace_config_in_place()
    {
        var config = TestConfigs.CocoDev with { KernelParams = KernelParameters.Parse("console=hvc0 foo=1 agent.log=debug") };
        var spec = Spec() with { ExtraKernelParameters = ["foo=2", "bar"] };
        var append = Argv.ValueOf(Build(config, spec), "-append").Split(' ');

        Assert.Single(append, p => p.StartsWith("console=", StringComparison.Ordinal));
        Assert.Contains("console=hvc0", append);
        var foo = Array.IndexOf(append, "foo=2");
        Assert.True(foo > 0 && append[foo + 1] == "agent.log=debug" && append[^1] == "bar", string.Join(' ', append));
        Assert.DoesNotContain("foo=1", append);
    }

    [Fact]
    public void Kvm_gets_the_host_cpu_and_the_pit_policy_tcg_gets_neither()
    {
        var tcg = QemuCommandLineFactory.Create(Request(TestConfigs.CocoDev)).Build();
        var kvm = QemuCommandLineFactory.Create(Request(TestConfigs.CocoDev) with { Accelerator = Accelerator.Kvm }).Build();

        Assert.Equal("max,pmu=off", Argv.ValueOf(tcg, "-cpu"));
        Assert.DoesNotContain("-global", tcg);
        Assert.Equal("host,pmu=off", Argv.ValueOf(kvm, "-cpu"));
        Assert.Equal("kvm-pit.lost_tick_policy=discard", Argv.ValueOf(kvm, "-global"));
        Assert.Equal("q35,accel=kvm,sata=off,smbus=off", Argv.ValueOf(kvm, "-machine"));
    }

    [Theory]
    [InlineData("q35", Accelerator.Tcg, true)]
    [InlineData("pc-q35-7.2", Accelerator.Tcg, true)]
    [InlineData("q35", Accelerator.Kvm, false)]   // KVM's CPU has the TSC deadline timer: nothing to calibrate
    [InlineData("virt", Accelerator.Tcg, false)]  // Arm: no local APIC
    [InlineData("s390-ccw-virtio", Accelerator.Tcg, false)]
    public void Only_an_x86_guest_under_tcg_is_given_the_emulated_local_apic_timer_clock(string machineType, Accelerator accelerator, bool given)
    {
        var config = TestConfigs.CocoDev with { MachineType = QemuMachineType.Parse(machineType) };
        var append = Argv.ValueOf(QemuCommandLineFactory.Create(Request(config) with { Accelerator = accelerator }).Build(), "-append").Split(' ');

        // QEMU's emulated APIC counts virtual-clock nanoseconds: a 1 GHz input clock.
        var lapic = append.Where(p => p.StartsWith("lapic_bus_khz", StringComparison.Ordinal)).ToList();
        Assert.Equal(given ? ["lapic_bus_khz=1000000"] : [], lapic);
    }

    [Fact]
    public void The_local_apic_timer_clock_can_be_replaced_from_the_configuration()
    {
        // An administrator's kernel_params come later and replace the default in place, as for every default.
        var config = TestConfigs.CocoDev with { KernelParams = KernelParameters.Parse("lapic_bus_khz=25000") };
        var append = Argv.ValueOf(Build(config), "-append").Split(' ');

        Assert.Single(append, p => p.StartsWith("lapic_bus_khz=", StringComparison.Ordinal));
        Assert.Contains("lapic_bus_khz=25000", append);
    }

    [Fact]
    public void Boot_disks_take_consecutive_positions_and_hotplug_continues_after_them()
    {
        var spec = Spec(new BlockDevice { Id = "a", Path = "/a" }, new BlockDevice { Id = "b", Path = "/b" });
        var scsi = QemuCommandLineFactory.Plan(Request(TestConfigs.CocoDev, spec)).Layout;
        Assert.Equal(["0:0", "0:1"], scsi.Placements.Select(p => p.GuestAddress.ToString()));
        Assert.Equal("0:2", scsi.Place(new BlockDevice { Id = "c", Path = "/c" }).GuestAddress.ToString());

        var blk = QemuCommandLineFactory.Plan(Request(TestConfigs.CocoDev with { BlockDeviceDriver = BlockDeviceDriver.VirtioBlk }, spec)).Layout;
        Assert.Equal(["02/01", "02/02"], blk.Placements.Select(p => p.GuestAddress.ToString()));
        blk.Release("a");
        Assert.Equal("02/01", blk.Place(new BlockDevice { Id = "c", Path = "/c" }).GuestAddress.ToString());
    }

    [Fact]
    public void A_full_pci_bridge_spills_to_the_next_and_then_fails_clearly()
    {
        var layout = QemuCommandLineFactory.Plan(Request(TestConfigs.CocoDev with { BlockDeviceDriver = BlockDeviceDriver.VirtioBlk, DefaultBridges = 2 })).Layout;
        var addresses = Enumerable.Range(0, 62).Select(i => layout.Place(new BlockDevice { Id = $"d{i}", Path = "/d" }).GuestAddress.ToString()).ToList();
        Assert.Equal("02/1f", addresses[30]);
        Assert.Equal("03/01", addresses[31]);
        var error = Assert.Throws<HypervisorException>(() => layout.Place(new BlockDevice { Id = "x", Path = "/d" }));
        Assert.Contains("in use", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("bad id", "/a", null, "block device id")]
    [InlineData("a", "relative/path", null, "not absolute")]
    [InlineData("a", "/a", "serial,with=comma", "serial")]
    [InlineData("", "/a", null, "block device id")]
    [InlineData("abcdefghijklmnopqrstuvwxyz", "/a", null, "block device id 'abcdefghijklmnopqrstuvwxyz' is invalid: expected 1-25 letters")]
    public void Invalid_block_devices_are_refused_with_the_field_named(string id, string path, string? serial, string expected)
    {
        var spec = Spec(new BlockDevice { Id = id, Path = path, Serial = serial });
        var error = Assert.Throws<ArgumentException>(() => Build(TestConfigs.CocoDev, spec));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Duplicate_block_device_ids_are_refused()
    {
        var spec = Spec(new BlockDevice { Id = "a", Path = "/a" }, new BlockDevice { Id = "a", Path = "/b" });
        var error = Assert.Throws<HypervisorException>(() => Build(TestConfigs.CocoDev, spec));
        Assert.Contains("already attached", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("../etc")]
    [InlineData("a,b")]
    [InlineData("-x")]
    [InlineData("")]
    public void Sandbox_ids_that_could_escape_or_inject_are_refused(string id)
    {
        var spec = new VmSpec { SandboxId = id, RuntimeDirectory = "/run/vm/x" };
        var error = Assert.Throws<ArgumentException>(() => Build(TestConfigs.CocoDev, spec));
        Assert.Contains("sandbox id", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_shipped_coco_dev_configuration_maps_to_a_command_line()
    {
        var path = Repository.ShippedConfig;
        var config = ConfigurationLoader.LoadText(File.ReadAllText(path), path).Qemu!;
        var args = Build(config, host: new HostResources(2, 24000));
        output.WriteLine(string.Join('\n', args));

        Assert.Equal("q35,accel=tcg,sata=off,smbus=off", Argv.ValueOf(args, "-machine"));
        Assert.Equal(config.Kernel, Argv.ValueOf(args, "-kernel"));
        // The root disk image, not an initrd: read-only virtio-blk, Kata's root parameters with the file's rootfs_type.
        Assert.DoesNotContain("-initrd", args);
        Assert.Contains($"driver=raw,node-name=image,read-only=on,file.driver=file,file.filename={config.Image},file.aio=threads", args);
        Assert.Contains("virtio-blk-pci,drive=image,id=image", args);
        Assert.Contains("virtio-scsi-pci,id=scsi0", args);
        Assert.Contains("console=ttyS0", Argv.ValueOf(args, "-append"), StringComparison.Ordinal);
        Assert.EndsWith("root=/dev/vda1 rootflags=ro ro rootfstype=erofs", Argv.ValueOf(args, "-append"), StringComparison.Ordinal);
    }
}
