namespace Sealpod.Agent.Tests;

/// <summary>CopyFile into a confined root: chunks, modes, owners, directories, symlinks and escapes.</summary>
public sealed class FileCopierTests : TempDirectoryTest
{
    private readonly string _root;
    private readonly string _outside;
    private readonly FileCopier _copier;

    public FileCopierTests()
        : base("sealpod-copy-")
    {
        _root = Temp.Combine("run");
        _outside = Temp.Combine("outside");
        Directory.CreateDirectory(_root);
        Directory.CreateDirectory(_outside);
        _copier = new FileCopier(_root);
    }

    [Fact]
    [Trait(TestCategories.Name, TestCategories.Root)]
    public void A_file_sent_in_chunks_appears_whole_with_its_mode_and_owner()
    {
        var content = RandomNumberGenerator.GetBytes(2_500_000);
        var path = Path.Combine(_root, "sandbox", "shared", "config.bin");
        for (var offset = 0; offset < content.Length; offset += 1 << 20)
        {
            Assert.False(File.Exists(path), "the file appeared before its last chunk");
            _copier.Copy(new FileCopyRequest
            {
                Path = path,
                FileSize = content.Length,
                FileMode = LibC.S_IFREG | 0x1A4, // 0644
                DirectoryMode = 0x1C0, // 0700
                Uid = 1234,
                Gid = 5678,
                Offset = offset,
                Data = content.AsMemory(offset, Math.Min(1 << 20, content.Length - offset)),
            });
        }

        Assert.Equal(content, File.ReadAllBytes(path));
        Assert.False(File.Exists(path + ".tmp"));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead, File.GetUnixFileMode(path));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.GetDirectoryName(path)!));
        var owner = Owner(path);
        Assert.Equal((1234u, 5678u), owner);
    }

    [Fact]
    public void An_empty_file_and_a_replacement_are_written_at_once()
    {
        var path = Path.Combine(_root, "empty");
        _copier.Copy(new FileCopyRequest { Path = path, FileSize = 0, FileMode = 0x1A4 });
        Assert.Equal(0, new FileInfo(path).Length);

        _copier.Copy(new FileCopyRequest { Path = path, FileSize = 3, FileMode = 0x1A4, Data = "new"u8.ToArray() });
        Assert.Equal("new", File.ReadAllText(path));
    }

    [Fact]
    public void Directories_and_symlinks_inside_the_root_are_created()
    {
        var directory = Path.Combine(_root, "configmap");
        _copier.Copy(new FileCopyRequest { Path = directory, FileMode = LibC.S_IFDIR | 0x1ED });
        _copier.Copy(new FileCopyRequest { Path = Path.Combine(directory, "..2024_01"), FileMode = LibC.S_IFDIR | 0x1ED });
        _copier.Copy(new FileCopyRequest { Path = Path.Combine(directory, "..2024_01", "key"), FileSize = 5, FileMode = 0x1A4, Data = "value"u8.ToArray() });
        _copier.Copy(new FileCopyRequest { Path = Path.Combine(directory, "..data"), FileMode = LibC.S_IFLNK | 0x1FF, Data = "..2024_01"u8.ToArray() });
        _copier.Copy(new FileCopyRequest { Path = Path.Combine(directory, "key"), FileMode = LibC.S_IFLNK | 0x1FF, Data = "..data/key"u8.ToArray() });

        Assert.Equal("value", File.ReadAllText(Path.Combine(directory, "key")));
        Assert.Equal("..2024_01", new FileInfo(Path.Combine(directory, "..data")).LinkTarget);

        // Writing through the symlinked directory stays inside the root and is allowed.
        _copier.Copy(new FileCopyRequest { Path = Path.Combine(directory, "..data", "other"), FileSize = 2, FileMode = 0x1A4, Data = "ok"u8.ToArray() });
        Assert.Equal("ok", File.ReadAllText(Path.Combine(directory, "..2024_01", "other")));
    }

    [Theory]
    [InlineData("relative/file")]
    [InlineData("/etc/passwd")]
    [InlineData("{root}/../outside/file")]
    [InlineData("{root}/./file")]
    [InlineData("{root}")]
    [InlineData("{root}-sibling/file")]
    public void Paths_outside_the_root_are_refused(string template)
    {
        var path = template.Replace("{root}", _root, StringComparison.Ordinal);

        Assert.Throws<InvalidArgumentException>(() => _copier.Copy(new FileCopyRequest { Path = path, FileSize = 1, Data = "x"u8.ToArray() }));

        Assert.False(File.Exists(Path.Combine(_outside, "file")));
    }

    [Fact]
    public void A_symlink_planted_in_the_root_cannot_lead_a_copy_outside()
    {
        File.CreateSymbolicLink(Path.Combine(_root, "escape"), _outside);
        Directory.CreateDirectory(Path.Combine(_root, "nested"));
        File.CreateSymbolicLink(Path.Combine(_root, "nested", "up"), "../../outside");

        Assert.Throws<InvalidArgumentException>(() =>
            _copier.Copy(new FileCopyRequest { Path = Path.Combine(_root, "escape", "file"), FileSize = 1, Data = "x"u8.ToArray() }));
        Assert.Throws<InvalidArgumentException>(() =>
            _copier.Copy(new FileCopyRequest { Path = Path.Combine(_root, "nested", "up", "file"), FileSize = 1, Data = "x"u8.ToArray() }));

        Assert.Empty(Directory.EnumerateFileSystemEntries(_outside));
    }

    [Fact]
    public void A_symlink_target_outside_the_root_is_refused()
    {
        Assert.Throws<InvalidArgumentException>(() =>
            _copier.Copy(new FileCopyRequest { Path = Path.Combine(_root, "link"), FileMode = LibC.S_IFLNK | 0x1FF, Data = Encoding.UTF8.GetBytes(_outside) }));
        Assert.Throws<InvalidArgumentException>(() =>
            _copier.Copy(new FileCopyRequest { Path = Path.Combine(_root, "link"), FileMode = LibC.S_IFLNK | 0x1FF, Data = "../outside"u8.ToArray() }));

        Assert.False(File.Exists(Path.Combine(_root, "link")));
    }

    [Fact]
    public void A_chunk_past_the_file_size_is_refused()
    {
        Assert.Throws<InvalidArgumentException>(() =>
            _copier.Copy(new FileCopyRequest { Path = Path.Combine(_root, "f"), FileSize = 2, Offset = 1, Data = "xy"u8.ToArray() }));
    }
    private static unsafe (uint Uid, uint Gid) Owner(string path)
    {
        Statx status;
        Assert.Equal(0, LibC.Statx(LibC.AT_FDCWD, path, 0, LibC.STATX_BASIC_STATS, &status));
        return (status.Uid, status.Gid);
    }
}
