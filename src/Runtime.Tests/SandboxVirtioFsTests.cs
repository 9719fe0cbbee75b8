namespace Sealpod.Runtime.Tests;

/// <summary>
/// A sandbox with shared_fs = "virtio-fs" (fake VM and agent, real mounts): a container's bind mounts are bound
/// under the share and its spec names the guest's view of them; delete, a failed create and sandbox stop unbind.
/// </summary>
[Trait(TestCategories.Name, TestCategories.Root)]
public sealed class SandboxVirtioFsTests
{
    [Fact]
    public async Task Binds_are_shared_for_the_container_and_unbound_on_delete_and_stop()
    {
        await using var fixture = await SandboxFixture.StartAsync(virtioFs: true);
        var (file, directory) = HostSources(fixture.Work);
        await fixture.CreateContainerAsync("sbx", specJson: SampleSpecs.Full(file, directory));

        var create = fixture.Agent.Created.Last();
        var data = create.Spec.Mounts.Single(m => m.Destination == "/data");
        Assert.Equal(VirtioFsShare.GuestMountPoint + "/sbx-1-data", data.Source);
        var shared = Path.Combine(fixture.Work, "run", "fs", "shared");
        Assert.Equal("host data\n", await File.ReadAllTextAsync(Path.Combine(shared, "sbx-1-data", "inside")));
        Assert.Equal("nameserver 10.0.0.1\n", await File.ReadAllTextAsync(Path.Combine(shared, "sbx-0-resolv.conf")));

        await fixture.Sandbox.DeleteContainerAsync("sbx", CancellationToken.None);
        Assert.Empty(Directory.EnumerateFileSystemEntries(shared));
        Assert.DoesNotContain(MountsUnder(fixture.Work), m => !m.EndsWith("/fs/mounts", StringComparison.Ordinal) && !m.EndsWith("/fs/shared", StringComparison.Ordinal) && !m.EndsWith("/fs/staging", StringComparison.Ordinal));

        await fixture.CreateContainerAsync("again", specJson: SampleSpecs.Full(file, directory));
        await fixture.Sandbox.DisposeAsync();
        Assert.Empty(MountsUnder(fixture.Work));
        Assert.False(Directory.Exists(Path.Combine(fixture.Work, "run", "fs")));
        Assert.Equal("host data\n", await File.ReadAllTextAsync(Path.Combine(directory, "inside")));
    }

    [Fact]
    public async Task A_bind_that_fails_midway_unbinds_the_ones_before_it()
    {
        await using var fixture = await SandboxFixture.StartAsync(virtioFs: true);
        var (file, directory) = HostSources(fixture.Work);
        var rootfs = await fixture.PrepareRootfsAsync("broken", "busybox");
        var bundle = Path.Combine(fixture.Work, "bundles", "broken");
        var loaded = OciBundle.Load(bundle);
        var prepared = GuestContainerSpec.PrepareShared(loaded, "broken", true);
        var guestSpec = prepared with
        {
            Binds =
            [
                new SharedBind(directory, VirtioFsShare.GuestMountPoint + "/broken-0-data", false, false),
                new SharedBind(Path.Combine(fixture.Work, "vanished"), VirtioFsShare.GuestMountPoint + "/broken-1-gone", false, false),
            ],
        };

        await Assert.ThrowsAsync<InvalidArgumentException>(() => fixture.Sandbox.CreateContainerAsync(
            new ContainerCreateRequest("broken", bundle, [], ProcessIoPaths.None, null), loaded, ContainerKind.Single, rootfs, guestSpec, new StartupTimeline(), CancellationToken.None));
        rootfs.Release();

        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(fixture.Work, "run", "fs", "shared")));
        Assert.DoesNotContain(fixture.Agent.Created, r => r.ContainerId == "broken");
        Assert.True(File.Exists(file));
    }

    [Fact]
    public async Task A_sandbox_without_a_share_refuses_binds_to_share()
    {
        await using var fixture = await SandboxFixture.StartAsync();
        var (_, directory) = HostSources(fixture.Work);
        var rootfs = await fixture.PrepareRootfsAsync("noshare", "busybox");
        var bundle = Path.Combine(fixture.Work, "bundles", "noshare");
        var loaded = OciBundle.Load(bundle);
        var guestSpec = GuestContainerSpec.PrepareShared(loaded, "noshare", true) with
        {
            Binds = [new SharedBind(directory, VirtioFsShare.GuestMountPoint + "/noshare-0-data", false, false)],
        };

        var error = await Assert.ThrowsAsync<FailedPreconditionException>(() => fixture.Sandbox.CreateContainerAsync(
            new ContainerCreateRequest("noshare", bundle, [], ProcessIoPaths.None, null), loaded, ContainerKind.Single, rootfs, guestSpec, new StartupTimeline(), CancellationToken.None));
        rootfs.Release();
        Assert.Contains("shared_fs", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Only_a_plain_qemu_guest_with_virtio_fs_shares()
    {
        static bool Uses(Sealpod.Config.HypervisorConfig hypervisor) =>
            SandboxSettings.UsesVirtioFs(new Sealpod.Config.SealpodConfiguration { Hypervisor = hypervisor });

        Assert.True(Uses(new Sealpod.Config.QemuConfig { SharedFs = Sealpod.Config.SharedFs.VirtioFs }));
        Assert.True(SandboxSettings.From(new Sealpod.Config.SealpodConfiguration { Hypervisor = new Sealpod.Config.QemuConfig { SharedFs = Sealpod.Config.SharedFs.VirtioFs } }).VirtioFs);
        Assert.False(Uses(new Sealpod.Config.QemuConfig { SharedFs = Sealpod.Config.SharedFs.None }));
        Assert.False(Uses(new Sealpod.Config.QemuConfig { SharedFs = Sealpod.Config.SharedFs.VirtioFs, ConfidentialGuest = true }));
        Assert.False(Uses(new Sealpod.Config.CloudHypervisorConfig { SharedFs = Sealpod.Config.SharedFs.VirtioFs }));
    }

    private static (string File, string Directory) HostSources(string work)
    {
        var directory = System.IO.Directory.CreateDirectory(Path.Combine(work, "host-data")).FullName;
        File.WriteAllText(Path.Combine(directory, "inside"), "host data\n");
        var file = Path.Combine(work, "resolv.conf");
        File.WriteAllText(file, "nameserver 10.0.0.1\n");
        return (file, directory);
    }

    private static string[] MountsUnder(string directory) =>
        File.ReadLines("/proc/self/mountinfo").Select(l => l.Split(' ')[4]).Where(p => p.StartsWith(directory, StringComparison.Ordinal)).ToArray();
}
