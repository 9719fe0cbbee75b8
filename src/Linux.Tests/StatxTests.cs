namespace Sealpod.Linux.Tests;

public sealed unsafe class StatxTests() : TempDirectoryTest("sealpod-statx-")
{
    [Fact]
    public void The_structure_is_the_kernels_256_bytes_and_reads_size_and_type()
    {
        var path = Temp.Combine("file");
        File.WriteAllBytes(path, new byte[1234]);
        Statx status;

        Assert.Equal(256, sizeof(Statx));
        Assert.Equal(0, LibC.Statx(LibC.AT_FDCWD, path, 0, LibC.STATX_BASIC_STATS, &status));

        Assert.Equal(1234ul, status.Size);
        Assert.Equal(LibC.S_IFREG, status.Mode & LibC.S_IFMT);
        Assert.Equal(LibC.STATX_BASIC_STATS, status.Mask & LibC.STATX_BASIC_STATS);
    }

    [Fact]
    public void Dev_null_reads_as_character_device_1_3()
    {
        var node = DeviceNode.TryRead("/dev/null");

        Assert.Equal(new DeviceNode('c', 1, 3, 0x1B6), node);
    }

    [Fact]
    public void A_regular_file_is_no_device_and_a_symlink_is_read_as_itself()
    {
        var file = Temp.Combine("file");
        var link = Temp.Combine("link");
        File.WriteAllText(file, "x");
        File.CreateSymbolicLink(link, file);

        Assert.Null(DeviceNode.TryRead(file));
        Assert.Equal(LibC.S_IFREG, DeviceNode.TryReadFileType(file));
        Assert.Equal(LibC.S_IFLNK, DeviceNode.TryReadFileType(link));
        Assert.Null(DeviceNode.TryReadFileType(Temp.Combine("missing")));
    }
}
