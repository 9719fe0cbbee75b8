namespace Sealpod.VmAgent.IntegrationTests;

/// <summary>
/// The coco-dev configuration boots the erofs root disk image (Kata's <c>image</c> with <c>disable_image_nvdimm</c>):
/// the kernel mounts it read-only from <c>/dev/vda1</c> and starts /init as /sbin/init, with no initramfs unpacked. One
/// boot with virtio-blk as the runtime's disk driver and a disk attached at boot (on a PCI bridge, which the guest
/// enumerates after the root bus: were it <c>vda</c>, the root mount would fail), then what the agent writes outside
/// /run (CreateSandbox's DNS) and a container through a hot-plugged virtio-blk disk.
/// </summary>
public sealed class RootDiskImageInVmTests
{
    [Fact]
    public async Task The_guest_runs_from_the_read_only_erofs_image_and_the_agent_still_writes_its_dns_and_runs_containers()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        string disk = Path.Combine("/tmp", $"svi-rootimg-disk-{Guid.NewGuid():N}.img");
        await File.WriteAllBytesAsync(disk, new byte[1024 * 1024], timeout.Token);
        try
        {
            await using var vm = await GuestVm.BootAsync(
                "rootimg",
                configure: c => ((QemuConfig)c) with { BlockDeviceDriver = BlockDeviceDriver.VirtioBlk },
                blockDevices: [new BlockDevice { Id = "extra", Path = disk, Serial = "extra" }],
                cancellationToken: timeout.Token);
            await vm.Agent.CreateSandboxAsync(new CreateSandboxRequest { Hostname = "rootimg", SandboxId = "rootimg", Dns = ["nameserver 192.0.2.53"] }, timeout.Token);

            var (stdout, status) = await vm.RunToEndAsync(
                "probe",
                ["sh", "-c", "cat /guest-proc/cmdline /guest-proc/1/mountinfo; echo vda1: $(cat /sys/class/block/vda1/dev); echo resolv: $(readlink /guest-root/etc/resolv.conf); [ -e /guest-root/etc/sealpod/initramfs ] && echo initramfs marker; cat /guest-run/resolv.conf"],
                [GuestVm.GuestBind("/proc", "/guest-proc", recursive: true), GuestVm.GuestBind("/", "/guest-root"), GuestVm.GuestBind("/run", "/guest-run")],
                timeout.Token);

            Assert.True(status == 0, stdout + GuestVm.ConsoleTail(vm.Hypervisor));
            Assert.Contains("root=/dev/vda1", stdout, StringComparison.Ordinal);
            Assert.Contains("rootfstype=erofs", stdout, StringComparison.Ordinal);

            // The agent's mount table: "/" is the erofs partition, read-only (the kernel names the device it mounted
            // /dev/root there: its numbers are vda1's).
            var root = GuestVm.RootMount(stdout);
            Assert.Equal("erofs", root.FileSystem);
            Assert.Contains("vda1: " + root.Device + "\n", stdout, StringComparison.Ordinal);
            Assert.StartsWith("ro", root.Options, StringComparison.Ordinal);

            // The image leaves out the initramfs' marker, by which /init knows it must re-root.
            Assert.DoesNotContain("initramfs marker", stdout, StringComparison.Ordinal);

            // /etc/resolv.conf on the read-only image points at the /run tmpfs, where CreateSandbox's DNS went.
            Assert.Contains("resolv: ../run/resolv.conf", stdout, StringComparison.Ordinal);
            Assert.Contains("nameserver 192.0.2.53", stdout, StringComparison.Ordinal);
            await vm.Agent.RemoveContainerAsync("probe", TimeSpan.FromSeconds(10), timeout.Token);
        }
        finally
        {
            File.Delete(disk);
        }
    }
}
