namespace Sealpod.Agent.Tests;

/// <summary>
/// The "virtio-fs" storage driver against the host kernel. The host has no virtio-fs device, so a well-formed
/// storage reaches mount(2) and fails there (that the mount itself works is proven in the guest by
/// tests/vm-agent/VirtioFsInVmTests); what is checked here is what the driver decides before and after.
/// </summary>
public sealed class VirtioFsStorageTests : TempDirectoryTest
{
    private readonly StorageManager _storage;

    public VirtioFsStorageTests()
        : base("sealpod-vfs-")
    {
        Directory.CreateDirectory(Temp.Path);
        _storage = new StorageManager(new AgentOptions { StorageRoot = Temp.Combine("storage") }, new BlockDeviceResolver("/sys"), TimeProvider.System, NullLogger.Instance);
    }
    [Fact]
    public void The_driver_is_known_by_kata_s_name() => Assert.Contains("virtio-fs", StorageManager.Drivers);

    [Theory]
    [InlineData("kataShared", "ext4", "fstype 'virtiofs', not 'ext4'")]
    [InlineData("", "virtiofs", "needs source = the device tag")]
    [InlineData("a/b", "virtiofs", "needs source = the device tag")]
    [InlineData("a-tag-that-is-far-longer-than-36-bytes", "virtiofs", "needs source = the device tag")]
    public async Task Bad_storages_are_refused_before_anything_is_created(string source, string fstype, string expected)
    {
        var mountPoint = Temp.Combine("shared");
        var error = await Assert.ThrowsAsync<InvalidArgumentException>(() => _storage.MountAsync(
            new StorageSpec { Driver = "virtio-fs", Source = source, FileSystemType = fstype, MountPoint = mountPoint }, CancellationToken.None));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Contains(mountPoint, error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(mountPoint));
    }

    [Fact]
    public async Task A_tag_no_device_has_fails_in_mount_naming_it_and_leaves_no_directory()
    {
        var mountPoint = Temp.Combine("run", "kata-containers", "shared", "containers");
        var error = await Assert.ThrowsAsync<SystemCallException>(() => _storage.MountAsync(
            new StorageSpec { Driver = "virtio-fs", Source = "kataShared", FileSystemType = "virtiofs", MountPoint = mountPoint }, CancellationToken.None));

        Assert.Equal("mount", error.Operation);
        Assert.Contains($"kataShared on {mountPoint} (virtiofs", error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(mountPoint));
        Assert.False(Mounter.IsMountPoint(mountPoint));
    }
}
