using Sealpod.Config;
using Sealpod.Vmm.Acceleration;
using Sealpod.Vmm.Qemu;
using Sealpod.Vmm.Tests.TestSupport;

namespace Sealpod.Vmm.Tests.Qemu;

/// <summary>
/// The whole argv for representative configurations, compared line by line with reviewed
/// fixtures (Fixtures/*.args, one argument per line). Any change to rendering shows up as a
/// fixture diff. Regenerate with SEALPOD_UPDATE_GOLDEN=1.
/// </summary>
public sealed class QemuCommandLineGoldenTests
{
    private static QemuVmFiles Files(string id) => new($"/run/sealpod/vm/{id}");

    [Fact]
    public void Coco_dev_under_tcg_with_the_agent_on_virtio_serial()
    {
        var request = new QemuLaunchRequest
        {
            Config = TestConfigs.CocoDev,
            Spec = new VmSpec { SandboxId = "coco-dev-1", RuntimeDirectory = "/run/sealpod/vm/coco-dev-1" },
            Accelerator = Accelerator.Tcg,
            Files = Files("coco-dev-1"),
            AgentEndpoint = new VirtioSerialAgentEndpoint("/run/sealpod/vm/coco-dev-1/agent.sock", VirtioSerialAgentEndpoint.DefaultPortName),
            Host = TestConfigs.Host,
        };

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
        var request = new QemuLaunchRequest
        {
            Config = config,
            Spec = new VmSpec
            {
                SandboxId = "kvm-blk",
                RuntimeDirectory = "/run/sealpod/vm/kvm-blk",
                ExtraKernelParameters = ["agent.aa_kbc_params=cc_kbc::http://10.0.0.1:8080", "agent.log=info"],
                BlockDevices = [new BlockDevice { Id = "initdata", Path = "/run/sealpod/vm/kvm-blk/initdata.img", Serial = "initdata" }],
            },
            Accelerator = Accelerator.Kvm,
            Files = Files("kvm-blk"),
            AgentEndpoint = new VsockAgentEndpoint(1234, VsockAgentEndpoint.DefaultPort),
            Host = new HostResources(Cpus: 8, MemoryMiB: 16000),
        };

        Golden.AssertArgs("qemu-kvm-vsock-blk-initdata.args", QemuCommandLineFactory.Create(request).Build());
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
        var request = new QemuLaunchRequest
        {
            Config = config,
            Spec = new VmSpec
            {
                SandboxId = "paused",
                RuntimeDirectory = "/run/sealpod/vm/paused",
                StartPaused = true,
                BlockDevices =
                [
                    new BlockDevice { Id = "a", Path = "/images/a.raw" },
                    new BlockDevice { Id = "b", Path = "/images/b.raw", ReadOnly = false },
                ],
            },
            Accelerator = Accelerator.Tcg,
            Files = Files("paused"),
            AgentEndpoint = new VirtioSerialAgentEndpoint("/run/sealpod/vm/paused/agent.sock", VirtioSerialAgentEndpoint.DefaultPortName),
            Host = TestConfigs.Host,
        };

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
