namespace Sealpod.Runtime.Tests;

/// <summary>Real mount(2) calls (the tests run as root, as containerd's shims do).</summary>
[Trait(TestCategories.Name, TestCategories.Root)]
public sealed class RootfsMounterTests() : TempDirectoryTest("sealpod-mount-")
{
    protected override void Dispose(bool disposing)
    {
        RootfsMounter.UnmountAll(Temp.Combine("rootfs"));
        base.Dispose(disposing);
    }

    [Fact]
    public void An_overlay_from_the_snapshotter_is_mounted_and_fully_unmounted()
    {
        string lower = Directory.CreateDirectory(Temp.Combine("lower")).FullName;
        string upper = Directory.CreateDirectory(Temp.Combine("upper")).FullName;
        string work = Directory.CreateDirectory(Temp.Combine("work")).FullName;
        File.WriteAllText(Path.Combine(lower, "from-lower"), "image");
        string target = Temp.Combine("rootfs");

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
        string source = Directory.CreateDirectory(Temp.Combine("source")).FullName;
        string target = Temp.Combine("rootfs");

        RootfsMounter.MountAll([new RootfsMount("bind", source, ["rbind", "ro"])], target);

        Assert.True(RootfsMounter.IsMountPoint(target));
        Assert.ThrowsAny<IOException>(() => File.WriteAllText(Path.Combine(target, "x"), "no"));
    }

    [Fact]
    public void A_failing_mount_names_itself_and_leaves_nothing_mounted()
    {
        string target = Temp.Combine("rootfs");

        var error = Assert.Throws<InvalidArgumentException>(() =>
            RootfsMounter.MountAll([new RootfsMount("overlay", "overlay", [$"lowerdir={Temp.Path}/missing"])], target));

        Assert.Contains("cannot mount rootfs overlay", error.Message, StringComparison.Ordinal);
        Assert.False(RootfsMounter.IsMountPoint(target));
    }

    [Fact]
    public void Unmounting_what_is_not_mounted_is_fine() =>
        RootfsMounter.UnmountAll(Directory.CreateDirectory(Temp.Combine("rootfs")).FullName);
}
