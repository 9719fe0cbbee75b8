namespace Sealpod.Vmm.Tests.Args;

public sealed class QemuArgsTests
{
    public static TheoryData<IQemuArgs, string[]> Parts => new()
    {
        { new Q35Machine { Accelerator = Accelerator.Kvm }, ["-machine", "q35,accel=kvm"] },
        { new Q35Machine { Accelerator = Accelerator.Tcg, Version = "7.2", KernelIrqchip = "split", ExtraOptions = ["nvdimm=off", "nosmm"] }, ["-machine", "pc-q35-7.2,accel=tcg,kernel_irqchip=split,nvdimm=off,nosmm"] },
        { new Q35Machine { Accelerator = Accelerator.Tcg, ChipsetStorageAndSmbus = false }, ["-machine", "q35,accel=tcg,sata=off,smbus=off"] },
        { new VirtMachine { Accelerator = Accelerator.Kvm, GicVersion = "host" }, ["-machine", "virt,accel=kvm,gic-version=host"] },
        { new S390CcwVirtioMachine { Accelerator = Accelerator.Kvm }, ["-machine", "s390-ccw-virtio,accel=kvm"] },
        { new Cpu(CpuModel.Host) { Features = ["pmu=off", "-vmx"] }, ["-cpu", "host,pmu=off,-vmx"] },
        { new Cpu(new NamedCpuModel("EPYC-v4")), ["-cpu", "EPYC-v4"] },
        { new Smp(1) { Cores = 1, Threads = 1, Sockets = 4, MaxCpus = 4 }, ["-smp", "1,cores=1,threads=1,sockets=4,maxcpus=4"] },
        { new Smp(2), ["-smp", "2"] },
        { new Memory(2048) { Slots = 10, MaxMemMiB = 24000 }, ["-m", "2048M,slots=10,maxmem=24000M"] },
        { new Memory(512), ["-m", "512M"] },
        { new Kernel("/k"), ["-kernel", "/k"] },
        { new Initrd("/i"), ["-initrd", "/i"] },
        { new KernelAppend(["console=ttyS0", "quiet"]), ["-append", "console=ttyS0 quiet"] },
        { new KernelAppend([]), [] },
        { new BiosFirmware("/fw/AMDSEV.fd"), ["-bios", "/fw/AMDSEV.fd"] },
        { new PflashFirmware("/fw/CODE.fd"), ["-drive", "if=pflash,format=raw,unit=0,readonly=on,file=/fw/CODE.fd"] },
        { new PflashFirmware("/fw/CODE.fd") { VarsPath = "/vm/VARS.fd" }, ["-drive", "if=pflash,format=raw,unit=0,readonly=on,file=/fw/CODE.fd", "-drive", "if=pflash,format=raw,unit=1,file=/vm/VARS.fd"] },
        { new ChardevSocket("qmp", "/vm/qmp.sock"), ["-chardev", "socket,id=qmp,path=/vm/qmp.sock,server=on,wait=off"] },
        { new ChardevSocket("c", "/s") { Server = false }, ["-chardev", "socket,id=c,path=/s,server=off"] },
        { new ChardevFile("console", "/vm/console.log"), ["-chardev", "file,id=console,path=/vm/console.log"] },
        { new SerialPort("console"), ["-serial", "chardev:console"] },
        { new QmpMonitor("qmp"), ["-mon", "chardev=qmp,mode=control"] },
        { new VirtioSerialPci("serial0"), ["-device", "virtio-serial-pci,id=serial0"] },
        { new VirtSerialPort("channel0", "serial0", "agent", "agent.channel.0"), ["-device", "virtserialport,bus=serial0.0,chardev=agent,name=agent.channel.0,id=channel0"] },
        { new VhostVsockPci("vsock0", 3), ["-device", "vhost-vsock-pci,id=vsock0,guest-cid=3"] },
        { new Blockdev("drive-a", "/img/a.raw"), ["-blockdev", "driver=raw,node-name=drive-a,read-only=on,file.driver=file,file.filename=/img/a.raw"] },
        { new Blockdev("drive-b", "/img/b.raw") { ReadOnly = false, Aio = "native", CacheDirect = true, CacheNoFlush = false }, ["-blockdev", "driver=raw,node-name=drive-b,read-only=off,cache.direct=on,cache.no-flush=off,file.driver=file,file.filename=/img/b.raw,file.aio=native"] },
        { new VirtioBlkPci("disk-a", "drive-a") { Address = new PciAddress("pci-bridge-0", 0x1e), Serial = "initdata" }, ["-device", "virtio-blk-pci,drive=drive-a,id=disk-a,bus=pci-bridge-0,addr=1e,serial=initdata"] },
        { new VirtioScsiPci("scsi0"), ["-device", "virtio-scsi-pci,id=scsi0"] },
        { new ScsiHd("disk-a", "drive-a", "scsi0.0", new ScsiAddress(0, 3)), ["-device", "scsi-hd,drive=drive-a,id=disk-a,bus=scsi0.0,channel=0,scsi-id=0,lun=3"] },
        { new PciBridge("pci-bridge-0", 1, new PciAddress("pcie.0", 2)), ["-device", "pci-bridge,bus=pcie.0,id=pci-bridge-0,chassis_nr=1,shpc=off,addr=2,io-reserve=4k,mem-reserve=1m,pref64-reserve=1m"] },
        { new RngRandom("rng0"), ["-object", "rng-random,id=rng0,filename=/dev/urandom"] },
        { new VirtioRngPci("rng-device0", "rng0"), ["-device", "virtio-rng-pci,rng=rng0,id=rng-device0"] },
        { QemuFlag.NoDefaults, ["-nodefaults"] },
        { QemuFlag.FreezeAtStartup, ["-S"] },
        { new Display(), ["-display", "none"] },
        { new VmName("sandbox-1"), ["-name", "sandbox-1,debug-threads=on"] },
        { new VmName("probe") { DebugThreads = false }, ["-name", "probe"] },
        { new PidFile("/vm/qemu.pid"), ["-pidfile", "/vm/qemu.pid"] },
        { new Rtc(), ["-rtc", "base=utc,driftfix=slew,clock=host"] },
        { GlobalProperty.KvmPitDiscardLostTicks, ["-global", "kvm-pit.lost_tick_policy=discard"] },
        { new SeccompSandbox("on,obsolete=deny"), ["-sandbox", "on,obsolete=deny"] },
        { ProtectionDevice.None, [] },
    };

    [Theory]
    [MemberData(nameof(Parts))]
    public void Each_part_renders_its_own_switches(IQemuArgs part, string[] expected)
    {
        Assert.Equal(expected, part.Render());
    }

    [Fact]
    public void Commas_in_values_are_doubled_so_a_path_cannot_inject_options()
    {
        var args = new ChardevFile("console", "/vm/a,path=/etc/passwd").Render();
        Assert.Equal(["-chardev", "file,id=console,path=/vm/a,,path=/etc/passwd"], args);

        Assert.Equal(
            ["-blockdev", "driver=raw,node-name=n,read-only=on,file.driver=file,file.filename=/x,,file.driver=host_device"],
            new Blockdev("n", "/x,file.driver=host_device").Render());
        Assert.Equal(["-name", "a,,b,debug-threads=on"], new VmName("a,b").Render());
    }

    [Fact]
    public void An_unprotected_machine_has_no_confidential_guest_support()
    {
        var machine = new Q35Machine { Accelerator = Accelerator.Kvm };
        Assert.False(machine.Protection.IsConfidential);
        Assert.DoesNotContain("confidential-guest-support", string.Join(' ', machine.Render()), StringComparison.Ordinal);
    }

    [Fact]
    public void A_protection_device_is_referenced_by_the_machine_and_rendered_once()
    {
        var tee = new TestProtection();
        var machine = new Q35Machine { Accelerator = Accelerator.Kvm, KernelIrqchip = "split", Protection = tee };
        Assert.Equal(["-machine", "q35,accel=kvm,kernel_irqchip=split,confidential-guest-support=tee0"], machine.Render());

        var commandLine = new Sealpod.Vmm.Qemu.QemuCommandLine
        {
            Name = new VmName("x"),
            Machine = machine,
            Cpu = new Cpu(CpuModel.Host),
            Smp = new Smp(1),
            Memory = new Memory(256),
        }.Build();
        Assert.Single(commandLine, a => a == "test-guest,id=tee0");
        Assert.True(tee.IsConfidential);
    }

    [Fact]
    public void Pci_paths_and_scsi_addresses_use_the_agents_notation()
    {
        Assert.Equal("02/01", new PciPath(2, 1).ToString());
        Assert.Equal("02/1f", new PciPath(2, 31).ToString());
        Assert.Equal("0:7", new ScsiAddress(0, 7).ToString());
        Assert.Equal(new PciPath(2, 1), new PciPath(2, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new PciPath(32));
        Assert.Throws<ArgumentException>(() => new PciPath());
        Assert.Throws<ArgumentOutOfRangeException>(() => new ScsiAddress(256, 0));
    }

    // Stands in for the SEV/SNP/TDX records of the TEE issue: proves the slot works without them.
    private sealed record TestProtection : ProtectionDevice
    {
        public override string? ObjectId => "tee0";

        public override IEnumerable<string> Render() => ["-object", "test-guest,id=tee0"];
    }
}
