using Sealpod.Runtime.Errors;
using Sealpod.Runtime.Rootfs;

namespace Sealpod.Runtime.Tests;

/// <summary>Real mount(2) calls (the tests run as root, as containerd's shims do).</summary>
[Trait(TestCategories.Name, TestCategories.Root)]
public sealed class RootfsMounterTests : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("sealpod-mount-").FullName;

    public void Dispose()
    {
        RootfsMounter.UnmountAll(Path.Combine(_work, "rootfs"));
        Directory.Delete(_work, recursive: true);
    }

    [Fact]
    public void An_overlay_from_the_snapshotter_is_mounted_and_fully_unmounted()
    {
        string lower = Directory.CreateDirectory(Path.Combine(_work, "lower")).FullName;
        string upper = Directory.CreateDirectory(Path.Combine(_work, "upper")).FullName;
        string work = Directory.CreateDirectory(Path.Combine(_work, "work")).FullName;
        File.WriteAllText(Path.Combine(lower, "from-lower"), "image");
        string target = Path.Combine(_work, "rootfs");

        RootfsMounter.MountAll([new RootfsMount("overlay", "overlay", [$"lowerdir={lower}", $"upperdir={upper}", $"workdir={work}", "index=off"])], target);
        File.WriteAllText(Path.Combine(target, "written"), "container");

        Assert.True(RootfsMounter.IsMountPoint(target));
        Assert.Equal("image", File.ReadAllText(Path.Combine(target, "from-lower")));
        Assert.True(File.Exists(Path.Combine(upper, "written")));

        RootfsMounter.UnmountAll(target);
        Assert.False(RootfsMounter.IsMountPoint(target));
        Assert.False(File.Exists(Path.Combine(target, "from-lower")));
    }

    [Fact]
    public void A_read_only_bind_mount_is_read_only()
    {
        string source = Directory.CreateDirectory(Path.Combine(_work, "source")).FullName;
        string target = Path.Combine(_work, "rootfs");

        RootfsMounter.MountAll([new RootfsMount("bind", source, ["rbind", "ro"])], target);

        Assert.True(RootfsMounter.IsMountPoint(target));
        Assert.ThrowsAny<IOException>(() => File.WriteAllText(Path.Combine(target, "x"), "no"));
    }

    [Fact]
    public void A_failing_mount_names_itself_and_leaves_nothing_mounted()
    {
        string target = Path.Combine(_work, "rootfs");

        var error = Assert.Throws<InvalidArgumentException>(() =>
            RootfsMounter.MountAll([new RootfsMount("overlay", "overlay", [$"lowerdir={_work}/missing"])], target));

        Assert.Contains("cannot mount rootfs overlay", error.Message, StringComparison.Ordinal);
        Assert.False(RootfsMounter.IsMountPoint(target));
    }

    [Fact]
    public void Unmounting_what_is_not_mounted_is_fine() =>
        RootfsMounter.UnmountAll(Directory.CreateDirectory(Path.Combine(_work, "rootfs")).FullName);
}
