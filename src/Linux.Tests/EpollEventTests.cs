using Sealpod.Linux.IO;

namespace Sealpod.Linux.Tests;

public sealed class EpollEventTests
{
    [Fact]
    public void The_event_is_packed_on_x86_64_and_aligned_elsewhere()
    {
        var expected = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 12 : 16;

        Assert.Equal(expected, EpollEvent.Size);
    }

    [Fact]
    public void Events_and_data_are_written_where_the_kernel_reads_them()
    {
        var buffer = new byte[EpollEvent.MaxSize];
        buffer.AsSpan().Fill(0xAA);

        EpollEvent.Write(buffer, 0x8000_2005, 0x0102_0304_0506_0708);

        var dataOffset = EpollEvent.Size - sizeof(ulong);
        Assert.Equal(0x8000_2005u, MemoryMarshal.Read<uint>(buffer));
        Assert.Equal(0x0102_0304_0506_0708ul, MemoryMarshal.Read<ulong>(buffer.AsSpan(dataOffset)));
        Assert.All(buffer[4..dataOffset], b => Assert.Equal(0, b)); // padding (none on x86-64) is cleared
        Assert.Equal((0x8000_2005u, 0x0102_0304_0506_0708ul), EpollEvent.Read(buffer));
    }
}
