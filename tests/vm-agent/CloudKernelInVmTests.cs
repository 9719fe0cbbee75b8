namespace Sealpod.VmAgent.IntegrationTests;

/// <summary>
/// Sealpod's own kernel is the default; the Debian cloud kernel stays selectable (<c>kernel = .../vmlinuz-cloud</c>)
/// with the initrd in place of the root disk image (its virtio-blk and erofs are modules, which only the initrd can
/// load before the root is mounted): /init then loads the virtio, erofs and overlay modules the initrd carries for it. One boot
/// with that kernel, and a container through the modular erofs + overlay root, keeps that path working.
/// </summary>
public sealed class CloudKernelInVmTests
{
    [Fact]
    public async Task The_cloud_kernel_boots_the_same_initrd_and_runs_a_container()
    {
        Assert.True(File.Exists(GuestAssets.CloudKernel), $"{GuestAssets.CloudKernel} is missing: run 'make guest'");
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await using var vm = await GuestVm.BootAsync("cloud", configure: c => c with { Kernel = GuestAssets.CloudKernel, Image = string.Empty, Initrd = GuestAssets.Initrd }, cancellationToken: timeout.Token);

        var (stdout, status) = await vm.RunToEndAsync("uname", ["uname", "-r"], cancellationToken: timeout.Token);

        Assert.Equal(GuestAssets.CloudKernelRelease, stdout.Trim());
        Assert.NotEqual(GuestAssets.KernelRelease, stdout.Trim());
        Assert.Equal(0, status);
        Assert.DoesNotContain("cannot load", GuestVm.ConsoleTail(vm.Hypervisor, 400));
        await vm.Agent.RemoveContainerAsync("uname", TimeSpan.FromSeconds(10), timeout.Token);
    }
}
