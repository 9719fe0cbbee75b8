namespace Sealpod.Runtime.Tests;

/// <summary>
/// The tree-walk-free cache key for overlays of containerd snapshots, on real directories. The keyed tests work under
/// the test's own output folder, on the project's filesystem as the private containerd's snapshots are (ext4 here,
/// which has inode generations, unlike the /tmp of hosts that make it a tmpfs); where that filesystem has none they
/// check the fallback instead, and /dev/shm (tmpfs) checks the fallback on every host.
/// </summary>
public sealed class SnapshotKeyTests() : TempDirectoryTest(TempDirectory.Under(AppContext.BaseDirectory, "snapkey-"))
{
    [Fact]
    public void Untouched_overlays_of_the_same_snapshots_share_a_key()
    {
        string l1 = Dir("1/fs"), l2 = Dir("2/fs");

        string? a = SnapshotKey.TryCompute([Overlay($"{l2}:{l1}", Dir("3/fs"))]);
        string? b = SnapshotKey.TryCompute([Overlay($"{l2}:{l1}", Dir("4/fs"))]);
        string? other = SnapshotKey.TryCompute([Overlay($"{l1}:{l2}", Dir("5/fs"))]);

        if (!HasGenerations(l1))
        {
            Assert.Null(a);
            Assert.Null(other);
            return;
        }

        Assert.NotNull(a);
        Assert.Matches("^[0-9a-f]{64}$", a);
        Assert.Equal(a, b);
        Assert.NotEqual(a, other);
    }

    [Fact]
    public void A_snapshot_recreated_at_the_same_path_gets_a_new_key()
    {
        // Back to back, so the freed inode is often handed out again within one tick of the filesystem's clock:
        // the key must still change every time.
        string lower = Dir("1/fs");
        var keys = new List<string?> { SnapshotKey.TryCompute([Overlay(lower, Dir("2/fs"))]) };
        for (int i = 0; i < 50; i++)
        {
            Directory.Delete(lower);
            Directory.CreateDirectory(lower);
            keys.Add(SnapshotKey.TryCompute([Overlay(lower, Dir($"up{i}/fs"))]));
        }

        if (!HasGenerations(lower))
        {
            Assert.All(keys, Assert.Null);
            return;
        }

        Assert.All(keys, Assert.NotNull);
        Assert.Equal(keys.Count, keys.Distinct().Count());
    }

    [Fact]
    public void A_written_upper_layer_or_another_mount_kind_falls_back_to_the_tree_walk()
    {
        string upper = Dir("2/fs");
        File.WriteAllText(Path.Combine(upper, "changed"), "x");

        Assert.Null(SnapshotKey.TryCompute([Overlay(Dir("1/fs"), upper)]));
        Assert.Null(SnapshotKey.TryCompute([new RootfsMount("bind", Dir("1/fs"), ["rbind", "ro"])]));
        Assert.Null(SnapshotKey.TryCompute([Overlay(Temp.Combine("missing"), Dir("3/fs"))]));
        Assert.Null(SnapshotKey.TryCompute([]));
    }

    [Fact]
    public void Snapshots_on_a_filesystem_without_inode_generations_fall_back_to_the_tree_walk()
    {
        // tmpfs reuses inodes and has no generation to tell a recreated directory from the old one.
        Assert.True(Directory.Exists("/dev/shm"), "/dev/shm: expected a tmpfs on every Linux host");
        using var shm = TempDirectory.Under("/dev/shm", "snapkey-");
        Assert.False(HasGenerations(shm.Path), "/dev/shm answered FS_IOC_GETVERSION: expected tmpfs");
        string lower = Directory.CreateDirectory(shm.Combine("1/fs")).FullName;

        Assert.Null(SnapshotKey.TryCompute([Overlay(lower, Dir("2/fs"))]));
    }

    private string Dir(string relative) => Directory.CreateDirectory(Temp.Combine(relative)).FullName;

    private static unsafe bool HasGenerations(string directory)
    {
        int fd = LibC.Open(directory, LibC.O_RDONLY | LibC.O_DIRECTORY | LibC.O_CLOEXEC, 0);
        Assert.True(fd >= 0, $"open {directory}: errno {System.Runtime.InteropServices.Marshal.GetLastPInvokeError()}");
        try
        {
            ulong generation = 0;
            return LibC.Ioctl(fd, LibC.FS_IOC_GETVERSION, (nint)(&generation)) == 0;
        }
        finally
        {
            LibC.Close(fd);
        }
    }

    private RootfsMount Overlay(string lowers, string upper) =>
        new("overlay", "overlay", [$"lowerdir={lowers}", $"upperdir={upper}", $"workdir={Dir("work" + Guid.NewGuid().ToString("N")[..6])}"]);
}
