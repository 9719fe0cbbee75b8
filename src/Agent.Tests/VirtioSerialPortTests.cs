using Sealpod.Agent.Transport;

namespace Sealpod.Agent.Tests;

/// <summary>
/// Cutting a virtio-serial port into host sessions. A pipe stands in for the port (this host has
/// no virtio-serial device): its end of file plays the host's disconnect.
/// </summary>
public sealed class VirtioSerialPortTests
{
    [Fact]
    public async Task A_request_whose_stream_id_restarts_begins_a_new_session()
    {
        using var pipe = PipePair.Create();
        using var port = new VirtioSerialPort(TestProcess.Poller.Register(pipe.TakeReadEnd()));
        using var writer = TestProcess.Poller.Register(pipe.TakeWriteEnd());
        byte[] first = [.. Frame(1, 1, "a"u8), .. Frame(3, 1, "bb"u8), .. Frame(3, 3, "data"u8)];
        byte[] second = [.. Frame(1, 1, "c"u8), .. Frame(3, 1, "d"u8)];
        await writer.WriteAsync((byte[])[.. first, .. second]);

        var one = port.OpenSession();
        Assert.Equal(first, await ReadToEndAsync(one));

        var two = port.OpenSession();
        var buffer = new byte[second.Length];
        await two.ReadExactlyAsync(buffer);
        Assert.Equal(second, buffer);
        await Assert.ThrowsAsync<IOException>(async () => await one.WriteAsync(new byte[1]));
    }

    [Fact]
    public async Task A_frame_is_never_split_between_sessions_even_when_it_arrives_in_pieces()
    {
        using var pipe = PipePair.Create();
        using var port = new VirtioSerialPort(TestProcess.Poller.Register(pipe.TakeReadEnd()));
        using var writer = TestProcess.Poller.Register(pipe.TakeWriteEnd());
        var restart = Frame(1, 1, "again"u8);
        var session = port.OpenSession();

        await writer.WriteAsync(Frame(5, 1, "x"u8));
        var buffer = new byte[64];
        Assert.Equal(11, await session.ReadAsync(buffer));

        var reading = session.ReadAsync(buffer).AsTask();
        await writer.WriteAsync(restart.AsMemory(0, 4));
        await Task.Delay(50);
        Assert.False(reading.IsCompleted, "half a header was handed out");
        await writer.WriteAsync(restart.AsMemory(4));
        Assert.Equal(0, await reading);

        var next = port.OpenSession();
        var received = new byte[restart.Length];
        await next.ReadExactlyAsync(received);
        Assert.Equal(restart, received);
    }

    [Fact]
    public async Task The_host_going_away_after_data_ends_the_session()
    {
        using var pipe = PipePair.Create();
        using var port = new VirtioSerialPort(TestProcess.Poller.Register(pipe.TakeReadEnd()));
        var writer = TestProcess.Poller.Register(pipe.TakeWriteEnd());
        var session = port.OpenSession();
        await writer.WriteAsync(Frame(1, 1, "x"u8));
        writer.Dispose();

        Assert.Equal(Frame(1, 1, "x"u8), await ReadToEndAsync(session));
    }

    private static byte[] Frame(uint streamId, byte type, ReadOnlySpan<byte> payload)
    {
        var frame = new byte[10 + payload.Length];
        BinaryPrimitives.WriteUInt32BigEndian(frame, (uint)payload.Length);
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(4), streamId);
        frame[8] = type;
        payload.CopyTo(frame.AsSpan(10));
        return frame;
    }

    private static async Task<byte[]> ReadToEndAsync(Stream stream)
    {
        using var output = new MemoryStream();
        var buffer = new byte[7];
        int read;
        while ((read = await stream.ReadAsync(buffer)) > 0)
        {
            output.Write(buffer, 0, read);
        }

        return output.ToArray();
    }
}
