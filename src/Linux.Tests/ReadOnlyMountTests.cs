namespace Sealpod.Linux.Tests;

[Trait("Category", "Root")]
public sealed class ReadOnlyMountTests() : MountScratchTest("sealpod-ro-")
{
    [Fact]
    public void A_recursive_bind_becomes_read_only_in_its_submounts_too()
    {
        var (target, _) = RecursiveBindWithSubmount();

        ReadOnlyMount.ApplyRecursively(target);

        AssertWriteRefused(Path.Combine(target, "top.txt"));
        AssertWriteRefused(Path.Combine(target, "sub", "below.txt"));
    }

    [Fact]
    public void A_remount_read_only_leaves_the_submounts_writable_which_is_why_mount_setattr_is_used()
    {
        var (target, source) = RecursiveBindWithSubmount();

        SystemCallException.ThrowIfFailed(LibC.Mount("none", target, null, LibC.MS_BIND | LibC.MS_REMOUNT | LibC.MS_RDONLY, null), "remount", target);

        AssertWriteRefused(Path.Combine(target, "top.txt"));
        File.WriteAllText(Path.Combine(target, "sub", "below.txt"), "written");
        Assert.Equal("written", File.ReadAllText(Path.Combine(source, "sub", "below.txt")));
    }

    [Fact]
    public void A_path_that_is_not_a_mount_point_is_an_error_naming_it()
    {
        var plain = Scratch.CreateDirectory("plain");

        var error = Assert.Throws<SystemCallException>(() => ReadOnlyMount.ApplyRecursively(plain));

        Assert.Contains(plain, error.Message, StringComparison.Ordinal);
        Assert.Equal(LibC.EINVAL, error.Errno);
    }

    private (string Target, string Source) RecursiveBindWithSubmount()
    {
        var source = Scratch.CreateDirectory("volume");
        var sub = Scratch.CreateDirectory("volume/sub");
        Scratch.Tmpfs(sub);
        var target = Scratch.CreateDirectory("staging");
        Scratch.Bind(source, target, recursive: true);
        return (target, source);
    }

    private static void AssertWriteRefused(string path)
    {
        var error = Assert.ThrowsAny<IOException>(() => File.WriteAllText(path, "x"));
        Assert.Contains("Read-only", error.Message, StringComparison.OrdinalIgnoreCase);
    }
}
