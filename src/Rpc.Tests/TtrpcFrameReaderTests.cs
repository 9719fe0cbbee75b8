namespace Sealpod.Rpc.Tests;

public sealed class TtrpcFrameReaderTests
{
    private static byte[] Frame(uint streamId, TtrpcMessageType type, TtrpcFrameFlags flags, byte[] payload)
    {
        var frame = new byte[TtrpcProtocol.HeaderLength + payload.Length];
        new TtrpcFrameHeader((uint)payload.Length, streamId, type, flags).WriteTo(frame);
        payload.CopyTo(frame, TtrpcProtocol.HeaderLength);
        return frame;
    }

    [Fact]
    public void Reads_a_whole_frame_and_advances_past_it()
    {
        byte[] data = [.. Frame(7, TtrpcMessageType.Response, 0, [1, 2, 3]), 0xEE];
        var buffer = new ReadOnlySequence<byte>(data);

        Assert.True(TtrpcFrameReader.TryReadFrame(ref buffer, out TtrpcFrameHeader header, out ReadOnlySequence<byte> payload));

        Assert.Equal(new TtrpcFrameHeader(3, 7, TtrpcMessageType.Response, 0), header);
        Assert.Equal([1, 2, 3], payload.ToArray());
        Assert.Equal([0xEE], buffer.ToArray());
    }

    [Fact]
    public void Empty_payload_frame_is_complete_after_the_header()
    {
        var buffer = new ReadOnlySequence<byte>(Frame(9, TtrpcMessageType.Data, TtrpcFrameFlags.RemoteClosed | TtrpcFrameFlags.NoData, []));

        Assert.True(TtrpcFrameReader.TryReadFrame(ref buffer, out TtrpcFrameHeader header, out ReadOnlySequence<byte> payload));

        Assert.Equal(TtrpcFrameFlags.RemoteClosed | TtrpcFrameFlags.NoData, header.Flags);
        Assert.True(payload.IsEmpty);
        Assert.True(buffer.IsEmpty);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    [InlineData(9)]
    [InlineData(10)]
    [InlineData(12)]
    public void Incomplete_frames_leave_the_buffer_untouched(int available)
    {
        byte[] frame = Frame(1, TtrpcMessageType.Request, 0, [1, 2, 3, 4, 5]);
        var buffer = new ReadOnlySequence<byte>(frame, 0, available);

        Assert.False(TtrpcFrameReader.TryReadFrame(ref buffer, out _, out _));
        Assert.Equal(available, buffer.Length);
    }

    [Fact]
    public void Header_split_across_segments_is_reassembled()
    {
        byte[] frame = Frame(0x01020305, TtrpcMessageType.Request, TtrpcFrameFlags.RemoteOpen, [9, 8, 7]);
        ReadOnlySequence<byte> buffer = Sequences.Split(frame, 1, 4, 9, 11);

        Assert.True(TtrpcFrameReader.TryReadFrame(ref buffer, out TtrpcFrameHeader header, out ReadOnlySequence<byte> payload));

        Assert.Equal(new TtrpcFrameHeader(3, 0x01020305, TtrpcMessageType.Request, TtrpcFrameFlags.RemoteOpen), header);
        Assert.Equal([9, 8, 7], payload.ToArray());
    }

    [Fact]
    public void Oversized_frame_is_reported_from_its_header_alone_and_then_skipped()
    {
        // Only the header and a few payload bytes have arrived: the reader must not wait for 4 MiB.
        byte[] data = new byte[TtrpcProtocol.HeaderLength + 3];
        uint length = TtrpcProtocol.MaxPayloadLength + 1;
        new TtrpcFrameHeader(length, 5, TtrpcMessageType.Request, 0).WriteTo(data);
        var buffer = new ReadOnlySequence<byte>(data);

        Assert.True(TtrpcFrameReader.TryReadFrame(ref buffer, out TtrpcFrameHeader header, out ReadOnlySequence<byte> payload));

        Assert.True(header.IsOversized);
        Assert.Equal(5u, header.StreamId);
        Assert.True(payload.IsEmpty);
        Assert.Equal(3, buffer.Length);

        long remaining = header.Length;
        Assert.False(TtrpcFrameReader.TrySkip(ref buffer, ref remaining));
        Assert.Equal(length - 3, remaining);
        Assert.True(buffer.IsEmpty);

        var rest = new ReadOnlySequence<byte>(new byte[remaining + 2]);
        Assert.True(TtrpcFrameReader.TrySkip(ref rest, ref remaining));
        Assert.Equal(2, rest.Length);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Random_cuts_of_a_frame_stream_yield_the_same_frames(int seed)
    {
        var random = new Random(seed);
        var frames = new List<(TtrpcFrameHeader Header, byte[] Payload)>();
        var stream = new List<byte>();
        for (int i = 0; i < 50; i++)
        {
            byte[] payload = new byte[random.Next(0, 300)];
            random.NextBytes(payload);
            var type = (TtrpcMessageType)random.Next(1, 4);
            var flags = (TtrpcFrameFlags)random.Next(0, 8);
            byte[] frame = Frame((uint)(2 * i) + 1, type, flags, payload);
            frames.Add((TtrpcFrameHeader.Read(frame), payload));
            stream.AddRange(frame);
        }

        // Feed the bytes the way a pipe would: a growing unconsumed window, extended in random steps.
        byte[] all = [.. stream];
        var read = new List<(TtrpcFrameHeader, byte[])>();
        int consumed = 0, available = 0;
        while (consumed < all.Length)
        {
            available = Math.Min(all.Length, available + random.Next(1, 64));
            var window = new ReadOnlySequence<byte>(all, consumed, available - consumed);
            while (TtrpcFrameReader.TryReadFrame(ref window, out TtrpcFrameHeader header, out ReadOnlySequence<byte> payload))
            {
                read.Add((header, payload.ToArray()));
            }

            consumed = available - (int)window.Length;
        }

        Assert.Equal(frames.Count, read.Count);
        for (int i = 0; i < frames.Count; i++)
        {
            Assert.Equal(frames[i].Header, read[i].Item1);
            Assert.Equal(frames[i].Payload, read[i].Item2);
        }
    }
}
