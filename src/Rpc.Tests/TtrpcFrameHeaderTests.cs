namespace Sealpod.Rpc.Tests;

public sealed class TtrpcFrameHeaderTests
{
    [Theory]
    [InlineData(0u, 1u, TtrpcMessageType.Request, TtrpcFrameFlags.None, "00000000" + "00000001" + "01" + "00")]
    [InlineData(8u, 3u, TtrpcMessageType.Response, TtrpcFrameFlags.None, "00000008" + "00000003" + "02" + "00")]
    [InlineData(0x400000u, 0x7FFFFFFFu, TtrpcMessageType.Request, TtrpcFrameFlags.RemoteClosed, "00400000" + "7fffffff" + "01" + "01")]
    [InlineData(5u, 9u, TtrpcMessageType.Request, TtrpcFrameFlags.RemoteOpen, "00000005" + "00000009" + "01" + "02")]
    [InlineData(0u, 9u, TtrpcMessageType.Data, TtrpcFrameFlags.RemoteClosed | TtrpcFrameFlags.NoData, "00000000" + "00000009" + "03" + "05")]
    [InlineData(0x01020304u, 0xA0B0C0D1u, TtrpcMessageType.Data, TtrpcFrameFlags.NoData, "01020304" + "a0b0c0d1" + "03" + "04")]
    public void Header_is_big_endian_with_type_and_flags_bytes(uint length, uint streamId, TtrpcMessageType type, TtrpcFrameFlags flags, string hex)
    {
        var header = new TtrpcFrameHeader(length, streamId, type, flags);

        // Pre-filled with 0xFF so that any byte the writer forgets shows up.
        byte[] written = Enumerable.Repeat((byte)0xFF, 12).ToArray();
        header.WriteTo(written);

        Assert.Equal(hex, Convert.ToHexStringLower(written, 0, TtrpcProtocol.HeaderLength));
        Assert.Equal(0xFF, written[10]);
        Assert.Equal(header, TtrpcFrameHeader.Read(Convert.FromHexString(hex)));
    }

    [Theory]
    [InlineData(4u << 20, false)]
    [InlineData((4u << 20) + 1, true)]
    [InlineData(uint.MaxValue, true)]
    public void Oversized_means_over_four_mebibytes(uint length, bool oversized)
    {
        Assert.Equal(oversized, new TtrpcFrameHeader(length, 1, TtrpcMessageType.Request, 0).IsOversized);
    }

    [Fact]
    public void Short_buffers_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => TtrpcFrameHeader.Read(new byte[9]));
        Assert.Throws<ArgumentException>(() => default(TtrpcFrameHeader).WriteTo(new byte[9]));
    }
}
