namespace Sealpod.Linux.Tests;

public sealed class MountTableTests
{
    [Fact]
    public void Parses_mountinfo_lines_with_optional_fields_and_octal_escapes()
    {
        const string text =
            "22 1 0:21 / /proc rw,nosuid shared:5 - proc proc rw\n" +
            "97 29 8:1 /data/with\\040space /run/a\\134b\\011tab rw,relatime - ext4 /dev/sda1 rw\n";

        var entries = MountTable.Parse(text);

        Assert.Equal(2, entries.Count);
        Assert.Equal(new MountEntry(22, 1, "/", "/proc", "proc", "proc", "rw"), entries[0]);
        Assert.Equal("/data/with space", entries[1].Root);
        Assert.Equal("/run/a\\b\ttab", entries[1].MountPoint);
        Assert.Equal("ext4", entries[1].FileSystemType);
        Assert.Equal("/dev/sda1", entries[1].Source);
    }

    [Fact]
    public void A_malformed_line_names_the_file_and_the_line()
    {
        var error = Assert.Throws<FormatException>(() => MountTable.Parse("22 1 0:21 / /proc rw\n", "/tmp/mi"));

        Assert.Contains("/tmp/mi line 1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void At_or_under_matches_whole_path_components_only()
    {
        var entry = new MountEntry(1, 0, "/", "/run/sandboxes/a/shared", "tmpfs", "none");

        Assert.True(entry.IsAtOrUnder("/run/sandboxes/a"));
        Assert.True(entry.IsAtOrUnder("/run/sandboxes/a/shared/"));
        Assert.False(entry.IsAtOrUnder("/run/sandboxes/a/sha"));
        Assert.False(entry.IsAtOrUnder("/run/sandboxes/ab"));
        Assert.True(entry.IsAtOrUnder("/"));
    }

    [Fact]
    [Trait("Category", "Root")]
    public void The_live_table_lists_a_mount_made_under_a_path_with_a_space()
    {
        using var scratch = new MountScratch("sealpod-mt-");
        var point = scratch.CreateDirectory("with space");
        scratch.Tmpfs(point);

        var entry = Assert.Single(MountTable.Read(), m => m.MountPoint == point);
        Assert.Equal("tmpfs", entry.FileSystemType);
    }

    [Fact]
    public void A_mount_point_matches_exactly_after_unescaping_and_the_root_is_one()
    {
        using var directory = new TempDirectory();
        var mountInfo = directory.Write("mountinfo",
            "1 0 0:1 / / rw - ext4 /dev/vda rw\n" +
            "97 1 8:1 / /run/with\\040space rw - ext4 /dev/sda1 rw\n");

        Assert.True(MountTable.IsMountPoint("/run/with space/", mountInfo));
        Assert.True(MountTable.IsMountPoint("/", mountInfo));
        Assert.False(MountTable.IsMountPoint("/run", mountInfo));
        Assert.False(MountTable.IsMountPoint("/run/with space/below", mountInfo));
    }
}
