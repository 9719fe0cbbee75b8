namespace Sealpod.Agent.Tests;

/// <summary>
/// Removing a container's copied bind-mount files: the whole tree goes, links are removed and never followed, and
/// nothing beside the container's directory is touched.
/// </summary>
public sealed class SharedFilesCleanerTests : TempDirectoryTest
{
    private readonly string _shared;
    private readonly string _outside;
    private readonly SharedFilesCleaner _cleaner;

    public SharedFilesCleanerTests()
        : base("sealpod-shared-")
    {
        _shared = Temp.Combine("run", "sealpod", "shared");
        _outside = Temp.Combine("outside");
        Directory.CreateDirectory(_shared);
        Directory.CreateDirectory(_outside);
        File.WriteAllText(Path.Combine(_outside, "keep.txt"), "keep");
        _cleaner = new SharedFilesCleaner(_shared);
    }
    [Fact]
    [Trait(TestCategories.Name, TestCategories.Root)]
    public void The_containers_tree_is_removed_and_links_in_it_are_removed_without_following_them()
    {
        var mine = Path.Combine(_shared, "c1");
        Directory.CreateDirectory(Path.Combine(mine, "1-config", "sub", "deeper"));
        File.WriteAllText(Path.Combine(mine, "0-resolv.conf"), "nameserver 192.0.2.53\n");
        File.WriteAllText(Path.Combine(mine, "1-config", "sub", "deeper", "a.txt"), "a");
        File.CreateSymbolicLink(Path.Combine(mine, "1-config", "to-outside-dir"), _outside);
        File.CreateSymbolicLink(Path.Combine(mine, "1-config", "sub", "to-outside-file"), Path.Combine(_outside, "keep.txt"));
        File.CreateSymbolicLink(Path.Combine(mine, "1-config", "dangling"), "/nonexistent");
        new DirectoryInfo(Path.Combine(mine, "1-config", "sub")).UnixFileMode = UnixFileMode.None; // Root reads it anyway.
        var sibling = Directory.CreateDirectory(Path.Combine(_shared, "c10")).FullName;
        File.WriteAllText(Path.Combine(sibling, "0-hosts"), "127.0.0.1 localhost\n");

        Assert.True(_cleaner.Remove("c1"));

        Assert.False(Directory.Exists(mine));
        Assert.Equal(["c10"], Directory.GetFileSystemEntries(_shared).Select(Path.GetFileName));
        Assert.Equal("127.0.0.1 localhost\n", File.ReadAllText(Path.Combine(sibling, "0-hosts")));
        Assert.Equal(["keep.txt"], Directory.GetFileSystemEntries(_outside).Select(Path.GetFileName));
        Assert.Equal("keep", File.ReadAllText(Path.Combine(_outside, "keep.txt")));
    }

    [Fact]
    public void A_container_directory_that_is_a_link_loses_the_link_not_its_target()
    {
        File.CreateSymbolicLink(Path.Combine(_shared, "c2"), _outside);

        Assert.True(_cleaner.Remove("c2"));

        Assert.Empty(Directory.GetFileSystemEntries(_shared));
        Assert.Equal("keep", File.ReadAllText(Path.Combine(_outside, "keep.txt")));
    }

    [Fact]
    public void A_root_that_is_a_link_is_refused_and_its_target_kept()
    {
        Directory.CreateDirectory(Path.Combine(_outside, "c3"));
        Directory.Delete(_shared);
        File.CreateSymbolicLink(_shared, _outside);

        var error = Assert.Throws<SystemCallException>(() => _cleaner.Remove("c3"));

        Assert.Contains(_shared, error.Message, StringComparison.Ordinal);
        Assert.True(Directory.Exists(Path.Combine(_outside, "c3")));
    }

    [Fact]
    public void Nothing_to_remove_is_not_an_error()
    {
        Assert.False(_cleaner.Remove("never-copied"));

        Directory.Delete(_shared);
        Assert.False(_cleaner.Remove("never-copied"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("..")]
    [InlineData("../outside")]
    [InlineData("a/b")]
    [InlineData(".hidden")]
    public void An_invalid_id_is_refused_before_anything_is_opened(string id)
    {
        Directory.CreateDirectory(Path.Combine(_shared, "a", "b"));

        Assert.Throws<InvalidArgumentException>(() => _cleaner.Remove(id));

        Assert.True(Directory.Exists(Path.Combine(_shared, "a", "b")));
        Assert.Equal("keep", File.ReadAllText(Path.Combine(_outside, "keep.txt")));
    }
}
