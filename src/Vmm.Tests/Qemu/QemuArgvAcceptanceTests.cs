namespace Sealpod.Vmm.Tests.Qemu;

/// <summary>
/// The golden fixtures pin what we render; these check that QEMU 7.2 accepts it. Each variant
/// launches a real VM (paused, so firmware and kernel never run) through the driver.
/// </summary>
[Trait(TestCategories.Name, TestCategories.Vm)]
public sealed class QemuArgvAcceptanceTests
{
    public static TheoryData<string> Variants => ["pflash-pinned-machine", "bios", "blk-boot-disks-bridges", "cache-direct-io-uring", "seccomp"];

    [Theory]
    [MemberData(nameof(Variants))]
    public async Task Qemu_accepts_the_rendered_command_line(string variant)
    {
        string? vars = null;
        await using var vm = new StubVm(configure: config => variant switch
        {
            "pflash-pinned-machine" => config with
            {
                MachineType = QemuMachineType.Parse("pc-q35-7.2"),
                MachineAccelerators = "nvdimm=off",
                Firmware = "/usr/share/OVMF/OVMF_CODE.fd",
                FirmwareVolume = vars = Path.Combine(Path.GetTempPath(), "svt-vars-" + Guid.NewGuid().ToString("N")[..8] + ".fd"),
            },
            "bios" => config with { Firmware = "/usr/share/ovmf/OVMF.fd" },
            "blk-boot-disks-bridges" => config with { BlockDeviceDriver = BlockDeviceDriver.VirtioBlk, DefaultBridges = 3, BlockDeviceAio = BlockDeviceAio.IoUring },
            "cache-direct-io-uring" => config with { BlockDeviceAio = BlockDeviceAio.Native, BlockDeviceCacheSet = true, BlockDeviceCacheDirect = true },
            "seccomp" => config with { SeccompSandbox = "on,obsolete=deny,spawn=deny,resourcecontrol=deny" },
            _ => throw new ArgumentOutOfRangeException(nameof(variant)),
        });
        try
        {
            if (vars is not null)
            {
                File.Copy("/usr/share/OVMF/OVMF_VARS.fd", vars);
            }

            await vm.StartAsync(s => s with
            {
                StartPaused = variant != "seccomp",
                BlockDevices =
                [
                    new BlockDevice { Id = "a", Path = vm.Image("a.img"), Serial = "disk-a" },
                    new BlockDevice { Id = "b", Path = vm.Image("b.img"), ReadOnly = false },
                ],
            });

            var status = await vm.Hypervisor.Qmp.QueryStatusAsync();
            Assert.Equal(variant == "seccomp" ? "running" : "prelaunch", status.Status);
            var nodes = (await vm.Hypervisor.Qmp.ExecuteAsync("query-named-block-nodes")).EnumerateArray()
                .Select(n => n.GetProperty("node-name").GetString()).ToList();
            Assert.Contains("drive-a", nodes);
            Assert.Contains("drive-b", nodes);
            Assert.Equal(0, (await vm.Hypervisor.StopAsync(TimeSpan.Zero)).ExitCode);
        }
        finally
        {
            if (vars is not null)
            {
                File.Delete(vars);
            }
        }
    }
}
