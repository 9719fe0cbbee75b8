namespace Sealpod.Runtime.Tests;

/// <summary>Builds real erofs images with Debian's mkfs.erofs and reads them back with the kernel's erofs driver.</summary>
[Trait(TestCategories.Name, TestCategories.Root)]
public sealed class ErofsImageCacheTests : IAsyncLifetime
{
    private readonly TempDirectory _work = new("sealpod-erofs-");

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var mount in Directory.EnumerateDirectories(_work.Path, "mnt*"))
        {
            await TestMounts.TryUnmountAsync(mount);
        }

        _work.Dispose();
    }

    [Fact]
    public async Task Second_build_of_the_same_tree_reuses_the_image()
    {
        string tree = MakeTree("tree");
        var cache = new ErofsImageCache(_work.Combine("cache"), NullLogger.Instance);

        var first = await cache.GetOrBuildAsync(tree);
        var firstWrite = File.GetLastWriteTimeUtc(first.Path);
        var second = await cache.GetOrBuildAsync(tree);

        Assert.False(first.Reused);
        Assert.True(second.Reused);
        Assert.Equal(first.Path, second.Path);
        Assert.Equal(firstWrite, File.GetLastWriteTimeUtc(second.Path));
        Assert.Single(Directory.GetFiles(_work.Combine("cache")));
    }

    [Fact]
    public async Task A_changed_tree_gets_a_new_image()
    {
        string tree = MakeTree("tree");
        var cache = new ErofsImageCache(_work.Combine("cache"), NullLogger.Instance);
        var first = await cache.GetOrBuildAsync(tree);

        File.SetUnixFileMode(Path.Combine(tree, "bin", "tool"), UnixFileMode.UserRead | UnixFileMode.UserExecute);
        var second = await cache.GetOrBuildAsync(tree);

        Assert.NotEqual(first.Digest, second.Digest);
        Assert.False(second.Reused);
    }

    [Fact]
    public async Task Files_modes_owners_and_symlinks_survive_the_image()
    {
        if (!TestMounts.CanMount)
        {
            Assert.Fail("this test mounts an erofs image and needs root");
        }

        string tree = MakeTree("tree");
        var cache = new ErofsImageCache(_work.Combine("cache"), NullLogger.Instance);
        var image = await cache.GetOrBuildAsync(tree);

        string mountPoint = Directory.CreateDirectory(_work.Combine("mnt0")).FullName;
        await TestMounts.MountLoopAsync(image.Path, mountPoint, "erofs");
        try
        {
            Assert.Equal("hello\n", File.ReadAllText(Path.Combine(mountPoint, "etc", "greeting")));
            Assert.Equal(File.GetUnixFileMode(Path.Combine(tree, "bin", "tool")), File.GetUnixFileMode(Path.Combine(mountPoint, "bin", "tool")));
            Assert.Equal("../bin/tool", new FileInfo(Path.Combine(mountPoint, "usr", "tool-link")).LinkTarget);
            var owner = await TestMounts.OwnerAsync(Path.Combine(mountPoint, "home", "user", "file"));
            Assert.Equal((1234u, 5678u), owner);
            Assert.Equal(File.ReadAllBytes(Path.Combine(tree, "data.bin")), File.ReadAllBytes(Path.Combine(mountPoint, "data.bin")));
        }
        finally
        {
            await TestMounts.TryUnmountAsync(mountPoint);
        }
    }

    [Fact]
    public async Task The_cache_directory_is_the_owners_alone_even_if_it_existed_open()
    {
        string cacheDir = Directory.CreateDirectory(_work.Combine("cache")).FullName;
        File.SetUnixFileMode(cacheDir, (UnixFileMode)0b111_111_111);
        var cache = new ErofsImageCache(cacheDir, NullLogger.Instance);

        await cache.GetOrBuildAsync(MakeTree("tree"));

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(cacheDir));
    }

    [Fact]
    public async Task Beyond_the_size_limit_the_least_recently_used_image_goes()
    {
        string cacheDir = _work.Combine("cache");
        var (a, b, c) = (MakeTree("a"), MakeTree("b"), MakeTree("c"));
        File.WriteAllText(Path.Combine(b, "which"), "b");
        File.WriteAllText(Path.Combine(c, "which"), "c");
        var unbounded = new ErofsImageCache(cacheDir, NullLogger.Instance);
        var imageA = await unbounded.GetOrBuildAsync(a);
        var imageB = await unbounded.GetOrBuildAsync(b);
        long largest = Math.Max(new FileInfo(imageA.Path).Length, new FileInfo(imageB.Path).Length);

        // Room for two images, not three; A is used again after B was built, so B is the least recently used.
        var cache = new ErofsImageCache(cacheDir, NullLogger.Instance, maxBytes: (largest * 5 / 2) + 4096);
        Assert.True((await cache.GetOrBuildAsync(a)).Reused);
        var imageC = await cache.GetOrBuildAsync(c);

        Assert.True(File.Exists(imageA.Path));
        Assert.False(File.Exists(imageB.Path));
        Assert.True(File.Exists(imageC.Path));
        Assert.False((await cache.GetOrBuildAsync(b)).Reused);
    }

    [Fact]
    public void The_size_limit_must_be_positive()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new ErofsImageCache(_work.Combine("cache"), NullLogger.Instance, maxBytes: 0));
        Assert.Contains("size limit", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failing_mkfs_leaves_no_temporary_file()
    {
        string tree = MakeTree("tree");
        string cacheDir = _work.Combine("cache");
        var cache = new ErofsImageCache(cacheDir, NullLogger.Instance, mkfsErofs: "false");

        var error = await Assert.ThrowsAsync<IOException>(() => cache.GetOrBuildAsync(tree));

        Assert.Contains("exit code 1", error.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(cacheDir, "*", SearchOption.AllDirectories));
    }

    private string MakeTree(string name)
    {
        string root = _work.Combine(name);
        Directory.CreateDirectory(Path.Combine(root, "etc"));
        Directory.CreateDirectory(Path.Combine(root, "bin"));
        Directory.CreateDirectory(Path.Combine(root, "usr"));
        Directory.CreateDirectory(Path.Combine(root, "home", "user"));
        File.WriteAllText(Path.Combine(root, "etc", "greeting"), "hello\n");
        File.WriteAllText(Path.Combine(root, "bin", "tool"), "#!/bin/sh\n");
        File.SetUnixFileMode(Path.Combine(root, "bin", "tool"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.SetUser);
        File.CreateSymbolicLink(Path.Combine(root, "usr", "tool-link"), "../bin/tool");
        File.WriteAllText(Path.Combine(root, "home", "user", "file"), "mine");
        TestMounts.Chown(Path.Combine(root, "home", "user", "file"), 1234, 5678);
        var data = new byte[300_000];
        new Random(7).NextBytes(data);
        File.WriteAllBytes(Path.Combine(root, "data.bin"), data);
        return root;
    }
}
