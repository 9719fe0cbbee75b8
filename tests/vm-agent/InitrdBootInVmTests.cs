namespace Sealpod.VmAgent.IntegrationTests;

/// <summary>
/// Sealpod's kernel from the initrd, as the TEE profiles boot it (the launch measurement covers the initrd, not a disk).
/// The kernel starts /init from the initial rootfs, which pivot_root(2) cannot leave, so /init re-roots onto a bind
/// mount first: it decides by the marker only the initramfs carries, not by its own name, so <c>rdinit=/sbin/init</c>
/// (the name the root disk image starts it by) must still re-root. A container then pivots into its root.
/// </summary>
public sealed class InitrdBootInVmTests
{
    [Fact]
    public async Task Sealpods_kernel_boots_the_initrd_and_re_roots_whatever_name_starts_init()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await using var vm = await GuestVm.BootAsync(
            "initrd",
            ["rdinit=/sbin/init"],
            configure: c => c with { Image = string.Empty, Initrd = GuestAssets.Initrd },
            cancellationToken: timeout.Token);

        var (stdout, status) = await vm.RunToEndAsync(
            "probe",
            ["sh", "-c", "cat /guest-proc/cmdline /guest-proc/1/mountinfo; uname -r"],
            [GuestVm.GuestBind("/proc", "/guest-proc", recursive: true)],
            timeout.Token);

        // The container ran at all: crun pivoted into its root, which it cannot do from the initial rootfs.
        Assert.True(status == 0, stdout + GuestVm.ConsoleTail(vm.Hypervisor));
        Assert.Contains("rdinit=/sbin/init", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("root=/dev/vda1", stdout, StringComparison.Ordinal);
        Assert.Contains(GuestAssets.KernelRelease + "\n", stdout, StringComparison.Ordinal);

        // The agent's "/" is the re-rooted bind mount of the initial rootfs (rootfs, a mount with a parent now).
        Assert.Equal("rootfs", GuestVm.RootMount(stdout).FileSystem);
        Assert.DoesNotContain("re-rooting failed", GuestVm.ConsoleTail(vm.Hypervisor, 400), StringComparison.Ordinal);
        await vm.Agent.RemoveContainerAsync("probe", TimeSpan.FromSeconds(10), timeout.Token);
    }
}
