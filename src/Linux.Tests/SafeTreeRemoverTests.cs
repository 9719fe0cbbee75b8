namespace Sealpod.Linux.Tests;

/// <summary>
/// Removing a sandbox-like directory that still has live mounts in it, with real binds and tmpfs mounts:
/// what is mounted from the host survives, links are removed and never followed.
/// </summary>
[Trait("Category", "Root")]
public sealed class SafeTreeRemoverTests() : MountScratchTest("sealpod-str-")
{
    [Fact]
    public void A_read_write_bind_of_a_host_directory_under_the_tree_is_unmounted_and_the_host_files_survive()
    {
        var host = HostVolume();
        var tree = Scratch.CreateDirectory("sandbox");
        File.WriteAllText(Path.Combine(tree, "console.log"), "guest output");
        var share = Directory.CreateDirectory(Path.Combine(tree, "shared", "mounts", "c1-0-data")).FullName;
        var tmp = Directory.CreateDirectory(Path.Combine(tree, "shared", "scratch")).FullName;
        Scratch.Bind(host, share);
        Scratch.Tmpfs(tmp);
        Scratch.Bind(host, Directory.CreateDirectory(Path.Combine(tmp, "nested")).FullName); // a mount on a mount

        SafeTreeRemover.Remove(tree);

        Assert.False(Directory.Exists(tree));
        Assert.Empty(Scratch.MountPoints());
        AssertHostVolumeIntact(host);
    }

    [Fact]
    public void A_mount_still_in_place_is_not_entered_and_is_reported()
    {
        var host = HostVolume();
        var tree = Scratch.CreateDirectory("sandbox");
        var point = Directory.CreateDirectory(Path.Combine(tree, "share", "vol")).FullName;
        File.WriteAllText(Path.Combine(tree, "share", "qmp.sock"), string.Empty);
        Scratch.Bind(host, point); // same filesystem as the tree: only the mount id tells them apart
        var problems = new List<string>();

        SafeTreeRemover.RemoveTree(tree, problems);

        AssertHostVolumeIntact(host);
        Assert.Contains(problems, p => p.Contains(point + " is a mount point", StringComparison.Ordinal));
        Assert.False(File.Exists(Path.Combine(tree, "share", "qmp.sock")));
        Assert.True(Directory.Exists(point));
    }

    [Fact]
    public void Links_to_outside_the_tree_are_removed_and_not_followed()
    {
        var host = HostVolume();
        var tree = Scratch.CreateDirectory("sandbox");
        File.CreateSymbolicLink(Path.Combine(tree, "to-dir"), host);
        File.CreateSymbolicLink(Path.Combine(tree, "to-file"), Path.Combine(host, "a.txt"));
        Directory.CreateDirectory(Path.Combine(tree, "sub"));
        File.CreateSymbolicLink(Path.Combine(tree, "sub", "up"), "../../host");

        SafeTreeRemover.Remove(tree);

        Assert.False(Directory.Exists(tree));
        AssertHostVolumeIntact(host);
    }

    [Fact]
    public void The_root_given_as_a_link_is_removed_as_a_link()
    {
        var host = HostVolume();
        var link = Scratch["sandbox-link"];
        File.CreateSymbolicLink(link, host);

        SafeTreeRemover.Remove(link);

        Assert.False(File.Exists(link) || Directory.Exists(link));
        AssertHostVolumeIntact(host);
    }

    [Fact]
    public void A_missing_tree_is_nothing_to_do()
    {
        SafeTreeRemover.Remove(Scratch["absent"]);
    }

    private string HostVolume()
    {
        var host = Scratch.CreateDirectory("host");
        File.WriteAllText(Path.Combine(host, "a.txt"), "tenant data");
        Directory.CreateDirectory(Path.Combine(host, "deep", "er"));
        File.WriteAllText(Path.Combine(host, "deep", "er", "b.txt"), "more");
        return host;
    }

    private static void AssertHostVolumeIntact(string host)
    {
        Assert.Equal("tenant data", File.ReadAllText(Path.Combine(host, "a.txt")));
        Assert.Equal("more", File.ReadAllText(Path.Combine(host, "deep", "er", "b.txt")));
    }
}
