namespace Sealpod.Runtime.Tests;

/// <summary>Reading real host trees the way a bind mount's source is copied into the guest.</summary>
public sealed class HostTreeTests() : TempDirectoryTest("sealpod-tree-")
{
    [Fact]
    public void A_directory_is_read_parents_first_keeping_inner_links_and_leaving_out_what_cannot_be_copied()
    {
        // The shape of a Kubernetes configMap volume: key -> ..data/key, ..data -> ..2024_01.
        string volume = Directory.CreateDirectory(Temp.Combine("volume")).FullName;
        Directory.CreateDirectory(Path.Combine(volume, "..2024_01"));
        File.WriteAllText(Path.Combine(volume, "..2024_01", "key"), "value");
        File.CreateSymbolicLink(Path.Combine(volume, "..data"), "..2024_01");
        File.CreateSymbolicLink(Path.Combine(volume, "key"), "..data/key");
        File.CreateSymbolicLink(Path.Combine(volume, "escape"), "../../etc/passwd");
        File.CreateSymbolicLink(Path.Combine(volume, "absolute"), "/etc/passwd");
        Assert.Equal(0, LibC.MkFifo(Path.Combine(volume, "fifo"), 0x180));

        var tree = HostTree.Read(volume, maxEntries: 100);

        Assert.Equal(HostTreeKind.Directory, tree.Kind);
        Assert.Null(tree.Error);
        Assert.False(tree.Truncated);
        Assert.Equal(["", "..2024_01", "..2024_01/key", "..data", "key"], tree.Entries.Select(e => e.RelativePath));
        Assert.True(tree.Entries[0].IsDirectory);
        Assert.True(tree.Entries[2].IsRegularFile);
        Assert.Equal(5, tree.Entries[2].Size);
        Assert.Equal(("..2024_01", "..data/key"), (tree.Entries[3].LinkTarget, tree.Entries[4].LinkTarget));
        Assert.Equal(5, tree.Bytes);
        Assert.Equal(3, tree.Skipped.Count);
        Assert.Contains(tree.Skipped, s => s.StartsWith("symbolic link escape -> ../../etc/passwd", StringComparison.Ordinal));
        Assert.Contains(tree.Skipped, s => s.StartsWith("symbolic link absolute -> /etc/passwd", StringComparison.Ordinal));
        Assert.Contains(tree.Skipped, s => s.StartsWith("fifo (a socket", StringComparison.Ordinal));
    }

    [Fact]
    public void A_linked_source_is_followed_as_mount_follows_it()
    {
        string file = Temp.Combine("resolv.conf");
        File.WriteAllText(file, "nameserver 10.0.0.1\n");
        string link = Temp.Combine("link");
        File.CreateSymbolicLink(link, file);

        var tree = HostTree.Read(link, maxEntries: 10);

        Assert.Equal(HostTreeKind.File, tree.Kind);
        var entry = Assert.Single(tree.Entries);
        Assert.True(entry.IsRegularFile);
        Assert.Equal(20, entry.Size);
    }

    [Fact]
    public void Missing_sources_fifos_and_oversized_trees_are_told_apart()
    {
        string fifo = Temp.Combine("fifo");
        Assert.Equal(0, LibC.MkFifo(fifo, 0x180));
        string wide = Directory.CreateDirectory(Temp.Combine("wide")).FullName;
        for (int i = 0; i < 5; i++)
        {
            File.WriteAllText(Path.Combine(wide, $"f{i}"), "x");
        }

        var missing = HostTree.Read(Temp.Combine("nope"), 10);
        var other = HostTree.Read(fifo, 10);
        var truncated = HostTree.Read(wide, maxEntries: 3);

        Assert.Equal(HostTreeKind.Missing, missing.Kind);
        Assert.Contains("No such file or directory", missing.Error, StringComparison.Ordinal);
        Assert.Equal(HostTreeKind.Other, other.Kind);
        Assert.True(truncated.Truncated);
        Assert.False(HostTree.Read(wide, maxEntries: 6).Truncated);
    }

    [Fact]
    public void File_bytes_are_read_during_the_walk_so_a_later_swap_for_a_link_out_is_not_followed()
    {
        string volume = Directory.CreateDirectory(Temp.Combine("swap")).FullName;
        string secret = Temp.Combine("secret");
        File.WriteAllText(secret, "host secret");
        File.WriteAllText(Path.Combine(volume, "a.txt"), "mine");

        var tree = HostTree.Read(volume, maxEntries: 10);
        // What an attacker with write access to the source would do after the walk, before the copy.
        File.Delete(Path.Combine(volume, "a.txt"));
        File.CreateSymbolicLink(Path.Combine(volume, "a.txt"), secret);

        var file = Assert.Single(tree.Entries, e => e.RelativePath == "a.txt");
        Assert.Equal("mine", System.Text.Encoding.UTF8.GetString(file.Content!.Value.Span));
    }

    [Fact]
    public void A_linked_subdirectory_is_kept_as_a_link_and_never_walked()
    {
        string outside = Directory.CreateDirectory(Temp.Combine("outside")).FullName;
        File.WriteAllText(Path.Combine(outside, "shadow"), "host only");
        string volume = Directory.CreateDirectory(Temp.Combine("linked")).FullName;
        Directory.CreateSymbolicLink(Path.Combine(volume, "sub"), outside);

        var tree = HostTree.Read(volume, maxEntries: 10);

        Assert.Equal([""], tree.Entries.Select(e => e.RelativePath));
        Assert.Contains(tree.Skipped, s => s.StartsWith("symbolic link sub -> " + outside, StringComparison.Ordinal));
        Assert.DoesNotContain(tree.Entries, e => e.Content is { } c && c.Length > 0);
    }

    [Fact]
    public void Contents_stop_being_read_past_the_byte_budget_while_sizes_are_still_counted()
    {
        string volume = Directory.CreateDirectory(Temp.Combine("budget")).FullName;
        File.WriteAllBytes(Path.Combine(volume, "a"), new byte[60]);
        File.WriteAllBytes(Path.Combine(volume, "b"), new byte[60]);

        var tree = HostTree.Read(volume, maxEntries: 10, maxBytes: 100);

        Assert.Equal(120, tree.Bytes);
        Assert.Equal(60, tree.Entries.Single(e => e.RelativePath == "a").Content!.Value.Length);
        Assert.Null(tree.Entries.Single(e => e.RelativePath == "b").Content);
    }
}
