namespace Sealpod.Agent.Tests;

/// <summary>
/// The rootfs storages of shared_fs=none, for real: an erofs image on a loop device (standing in
/// for the hot-plugged virtio-blk disk), an overlay with its upper layer on the agent's scratch
/// space, and a container running on them.
/// </summary>
[Collection(AgentCollection.Name)]
[Trait(TestCategories.Name, TestCategories.Root)]
public sealed class StorageTests(AgentFixture fixture)
{
    [Fact]
    public async Task A_container_runs_on_an_erofs_disk_under_a_writable_overlay()
    {
        var work = Path.Combine(fixture.Root, "erofs-" + Guid.NewGuid().ToString("N")[..8]);
        var image = work + ".img";
        string? loop = null;
        try
        {
            Directory.CreateDirectory(work);
            await File.WriteAllTextAsync(Path.Combine(fixture.RootfsPath, "hello"), "from the image\n");
            await TestProcess.RunCheckedAsync("/usr/bin/mkfs.erofs", image, fixture.RootfsPath);
            loop = (await TestProcess.RunCheckedAsync("/usr/sbin/losetup", "--find", "--show", "--read-only", image)).Trim();
            var disk = Path.Combine(work, "disk");
            var rootfs = Path.Combine(work, "rootfs");
            var spec = TestSpecs.Container("rootfs", "sh", "-c", "cat /hello; echo written > /new; cat /new");
            var id = TestSpecs.NewId("erofs");

            var container = await fixture.Sandbox.CreateContainerAsync(
                new ContainerSpec
                {
                    Id = id,
                    Spec = spec,
                    Storages =
                    [
                        new StorageSpec { Driver = "blk", Source = loop, FileSystemType = "erofs", Options = ["ro"], MountPoint = disk },
                        new StorageSpec { Driver = "overlayfs", Source = "overlay", FileSystemType = "overlay", Options = [$"lowerdir={disk}"], MountPoint = rootfs },
                    ],
                },
                CancellationToken.None);
            try
            {
                Assert.True(Mounter.IsMountPoint(disk));
                Assert.True(Mounter.IsMountPoint(rootfs));
                Assert.Equal(rootfs, container.Spec.Root!.Path);
                await fixture.Sandbox.StartContainerAsync(id, CancellationToken.None);
                var output = new System.Text.StringBuilder();
                byte[] chunk;
                while ((chunk = await fixture.Sandbox.ReadAsync(id, "", OutputStream.Stdout, 4096, CancellationToken.None)).Length > 0)
                {
                    output.Append(System.Text.Encoding.ASCII.GetString(chunk));
                }

                Assert.Equal(0, (await fixture.Sandbox.WaitProcessAsync(id, "", CancellationToken.None)).ShellCode);
                Assert.Equal("from the image\nwritten\n", output.ToString());
                Assert.False(File.Exists(Path.Combine(fixture.RootfsPath, "new")), "the write went through to the lower layer");
            }
            finally
            {
                await fixture.Sandbox.RemoveContainerAsync(id, TimeSpan.FromSeconds(10), CancellationToken.None);
            }

            Assert.False(Mounter.IsMountPoint(rootfs));
            Assert.False(Mounter.IsMountPoint(disk));
            Assert.False(Directory.Exists(rootfs));
            Assert.Empty(Directory.EnumerateDirectories(Path.Combine(fixture.Options.StorageRoot, "overlay")));
        }
        finally
        {
            File.Delete(Path.Combine(fixture.RootfsPath, "hello"));
            if (loop is not null)
            {
                await TestProcess.RunAsync("/usr/sbin/losetup", "--detach", loop);
            }

            File.Delete(image);
            if (Directory.Exists(work))
            {
                Directory.Delete(work, recursive: true);
            }
        }
    }

    [Fact]
    public async Task An_attached_disk_appears_in_the_container_at_its_container_path()
    {
        var image = Path.Combine(fixture.Root, "disk-" + Guid.NewGuid().ToString("N")[..8] + ".img");
        string? loop = null;
        try
        {
            await File.WriteAllBytesAsync(image, new byte[1 << 20]);
            loop = (await TestProcess.RunCheckedAsync("/usr/sbin/losetup", "--find", "--show", image)).Trim();
            var guest = DeviceNode.TryRead(loop)!.Value;
            var spec = TestSpecs.Container(fixture.RootfsPath, "sh", "-c", "stat -c '%t %T %F' /dev/xvdz; head -c 4 /dev/xvdz | wc -c");
            spec = spec with
            {
                Linux = spec.Linux! with
                {
                    // The host's idea of the disk: its own numbers, which mean nothing in the guest.
                    Devices = [new Oci.OciDevice { Path = "/dev/xvdz", Type = "b", Major = 202, Minor = 400 }],
                    Resources = new Oci.OciResources
                    {
                        Devices = [new Oci.OciDeviceRule { Allow = false, Access = "rwm" }, new Oci.OciDeviceRule { Allow = true, Type = "b", Major = 202, Minor = 400, Access = "rwm" }],
                    },
                },
            };
            var id = TestSpecs.NewId("disk");

            var container = await fixture.Sandbox.CreateContainerAsync(
                new ContainerSpec { Id = id, Spec = spec, Devices = [new DeviceSpec { Type = "blk", VmPath = loop, ContainerPath = "/dev/xvdz" }] },
                CancellationToken.None);
            try
            {
                await fixture.Sandbox.StartContainerAsync(id, CancellationToken.None);
                var output = new System.Text.StringBuilder();
                byte[] chunk;
                while ((chunk = await fixture.Sandbox.ReadAsync(id, "", OutputStream.Stdout, 4096, CancellationToken.None)).Length > 0)
                {
                    output.Append(System.Text.Encoding.ASCII.GetString(chunk));
                }

                Assert.Equal($"{guest.Major:x} {guest.Minor:x} block special file\n4\n", output.ToString());
                Assert.Contains(container.Spec.Linux!.Resources!.Devices!, rule => rule.Allow && rule.Major == guest.Major && rule.Minor == guest.Minor);
            }
            finally
            {
                await fixture.Sandbox.RemoveContainerAsync(id, TimeSpan.FromSeconds(10), CancellationToken.None);
            }
        }
        finally
        {
            if (loop is not null)
            {
                await TestProcess.RunAsync("/usr/sbin/losetup", "--detach", loop);
            }

            File.Delete(image);
        }
    }

    [Fact]
    public async Task Shared_storages_are_mounted_once_and_released_by_the_last_user()
    {
        var storage = new StorageManager(fixture.Options, new BlockDeviceResolver("/sys"), TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        var mountPoint = Path.Combine(fixture.Root, "shared-" + Guid.NewGuid().ToString("N")[..8]);
        var spec = new StorageSpec { Driver = "ephemeral", Source = "tmpfs", Options = ["size=1m"], MountPoint = mountPoint, Shared = true };

        var first = await storage.MountAsync(spec, CancellationToken.None);
        var second = await storage.MountAsync(spec, CancellationToken.None);
        try
        {
            Assert.Same(first, second);
            Assert.True(Mounter.IsMountPoint(mountPoint));
            storage.Release(first);
            Assert.True(Mounter.IsMountPoint(mountPoint));
        }
        finally
        {
            storage.Release(second);
        }

        Assert.False(Mounter.IsMountPoint(mountPoint));
    }

    [Theory]
    [InlineData("9p", "/run/x", "not supported")]
    [InlineData("blk", "relative", "absolute")]
    [InlineData("blk", "/proc/x", "not allowed")]
    [InlineData("blk", "/run/../etc", "absolute path without '..'")]
    public async Task Bad_storages_are_refused_with_a_clear_message(string driver, string mountPoint, string expected)
    {
        var storage = new StorageManager(fixture.Options, new BlockDeviceResolver("/sys"), TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);

        var error = await Assert.ThrowsAsync<InvalidArgumentException>(() =>
            storage.MountAsync(new StorageSpec { Driver = driver, Source = "01", FileSystemType = "ext4", MountPoint = mountPoint }, CancellationToken.None));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_local_storage_gets_the_mode_it_names_whatever_the_umask_and_goes_with_its_last_user()
    {
        var storage = new StorageManager(fixture.Options, new BlockDeviceResolver("/sys"), TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        var mountPoint = Path.Combine(fixture.Root, "local-" + Guid.NewGuid().ToString("N")[..8]);

        var mounted = await storage.MountAsync(new StorageSpec { Driver = "local", Source = "local", FileSystemType = "local", Options = ["mode=0777"], MountPoint = mountPoint }, CancellationToken.None);
        var mode = File.GetUnixFileMode(mountPoint);
        storage.Release(mounted);

        Assert.Equal((UnixFileMode)0x1FF, mode);
        Assert.False(Directory.Exists(mountPoint));
        var error = await Assert.ThrowsAsync<InvalidArgumentException>(() => storage.MountAsync(
            new StorageSpec { Driver = "local", Source = "local", Options = ["mode=rwx"], MountPoint = mountPoint }, CancellationToken.None));
        Assert.Contains("option mode=rwx is not an octal file mode", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_disk_that_never_appears_times_out()
    {
        var options = fixture.Options with { DeviceTimeout = TimeSpan.FromMilliseconds(200) };
        var storage = new StorageManager(options, new BlockDeviceResolver(Path.Combine(fixture.Root, "no-sysfs")), TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);

        var error = await Assert.ThrowsAsync<TimeoutException>(() =>
            storage.MountAsync(new StorageSpec { Driver = "blk", Source = "1f", FileSystemType = "ext4", MountPoint = Path.Combine(fixture.Root, "never") }, CancellationToken.None));

        Assert.Contains("1f", error.Message, StringComparison.Ordinal);
    }
}
