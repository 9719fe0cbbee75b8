namespace Sealpod.Linux.Tests;

[Trait("Category", "Root")]
public sealed class ReadOnlyMountTests : IDisposable
{
    private readonly MountScratch _scratch = new("sealpod-ro-");

    public void Dispose() => _scratch.Dispose();

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
        var plain = _scratch.CreateDirectory("plain");

        var error = Assert.Throws<SystemCallException>(() => ReadOnlyMount.ApplyRecursively(plain));

        Assert.Contains(plain, error.Message, StringComparison.Ordinal);
        Assert.Equal(LibC.EINVAL, error.Errno);
    }

    private (string Target, string Source) RecursiveBindWithSubmount()
    {
        var source = _scratch.CreateDirectory("volume");
        var sub = _scratch.CreateDirectory("volume/sub");
        _scratch.Tmpfs(sub);
        var target = _scratch.CreateDirectory("staging");
        _scratch.Bind(source, target, recursive: true);
        return (target, source);
    }

    private static void AssertWriteRefused(string path)
    {
        var error = Assert.ThrowsAny<IOException>(() => File.WriteAllText(path, "x"));
        Assert.Contains("Read-only", error.Message, StringComparison.OrdinalIgnoreCase);
    }
}
