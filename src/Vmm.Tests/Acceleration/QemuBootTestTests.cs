namespace Sealpod.Vmm.Tests.Acceleration;

/// <summary>The real boot test with QEMU and a real Linux kernel (skipped when no kernel is available).</summary>
[Trait(TestCategories.Name, TestCategories.Vm)]
public sealed class QemuBootTestTests : TempDirectoryTest
{
    [GuestKernelFact]
    public async Task A_kernel_that_runs_reaches_its_root_mount_under_tcg()
    {
        var test = new QemuBootTest(RawQemu.Binary, TimeSpan.FromSeconds(60));
        var result = await test.RunAsync(Accelerator.Tcg, GuestKernel.Path!, Temp.Path);

        Assert.True(result.Booted, result.Detail);
        Assert.Equal("the kernel ran to its root mount", result.Detail);
        Assert.Empty(Directory.EnumerateFileSystemEntries(Temp.Path));
        Assert.Empty(HostProcesses.FindByCommandLine("sealpod-boot-test"));
    }

    [PvmKvmHostFact] // Only meaningful on a PVM host; elsewhere KVM may well boot it.
    public async Task On_a_pvm_host_the_stock_kernel_does_not_boot_under_kvm()
    {
        var test = new QemuBootTest(RawQemu.Binary, TimeSpan.FromSeconds(10));
        var result = await test.RunAsync(Accelerator.Kvm, GuestKernel.Path!, Temp.Path);

        Assert.False(result.Booted, result.Detail);
        Assert.Empty(Directory.EnumerateFileSystemEntries(Temp.Path));
    }

    [Fact]
    public async Task A_kernel_that_does_not_run_fails_the_test_with_qemus_words()
    {
        var bogus = Temp.File("not-a-kernel");
        await File.WriteAllTextAsync(bogus, "definitely not a kernel");
        var test = new QemuBootTest(RawQemu.Binary, TimeSpan.FromSeconds(30));
        var work = Temp.File("work");
        Directory.CreateDirectory(work);

        var result = await test.RunAsync(Accelerator.Tcg, bogus, work);

        Assert.False(result.Booted);
        Assert.StartsWith("QEMU exited with code 1 before the kernel got far: ", result.Detail, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(work));
    }

    [Fact]
    public async Task A_guest_that_never_prints_a_kernel_banner_times_out_and_is_killed()
    {
        var stub = StubKernel.Write(Temp.Path);
        var work = Temp.File("work");
        Directory.CreateDirectory(work);
        var test = new QemuBootTest(RawQemu.Binary, TimeSpan.FromSeconds(2));

        // The stub halts after one byte: never a kernel banner, never a panic.
        var result = await test.RunAsync(Accelerator.Tcg, stub, work);

        Assert.False(result.Booted);
        Assert.Equal("no kernel output within 2 s: the vCPU does not run the kernel", result.Detail);
        Assert.Empty(Directory.EnumerateFileSystemEntries(work));
        Assert.Empty(HostProcesses.FindByCommandLine("sealpod-boot-test"));
    }
}
