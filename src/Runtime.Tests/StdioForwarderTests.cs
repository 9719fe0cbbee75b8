using System.Security.Cryptography;

namespace Sealpod.Runtime.Tests;

/// <summary>
/// Copying between real FIFOs (as containerd creates them) and the guest's stream calls, which are scripted
/// here (<see cref="ScriptedStreams"/>): large binary data, end-of-file, CloseIO, back-pressure, a vanishing reader.
/// </summary>
public sealed class StdioForwarderTests() : FdPollerTest("sealpod-fifo-")
{
    [Fact]
    public async Task Large_binary_stdout_arrives_byte_exact_and_drained_means_the_reader_saw_eof()
    {
        var data = RandomNumberGenerator.GetBytes(8 << 20);
        var streams = new ScriptedStreams { StdoutSource = ScriptedStreams.Chunks(data, 50_000) };
        string stdout = Fifo("stdout");
        await using var forwarder = await StdioForwarder.OpenAsync(Poller, new ProcessIoPaths(string.Empty, stdout, string.Empty, false), "t", ("t", "default"), NullLogger.Instance, CancellationToken.None);
        forwarder.Start(streams);

        var received = await ReadAllAsync(stdout);
        await forwarder.OutputDrained;

        Assert.Equal(data.Length, received.Length);
        Assert.True(data.AsSpan().SequenceEqual(received));
        Assert.Equal(1, streams.CloseCount); // no stdin configured: the guest's stdin is closed at once
    }

    [Fact]
    public async Task Stdin_is_forwarded_exactly_through_partial_writes_and_eof_closes_it_once()
    {
        var data = RandomNumberGenerator.GetBytes(3 << 20);
        var streams = new ScriptedStreams { MaxStdinWrite = 7_777 };
        string stdin = Fifo("stdin");
        await using var forwarder = await StdioForwarder.OpenAsync(Poller, new ProcessIoPaths(stdin, string.Empty, string.Empty, false), "t", ("t", "default"), NullLogger.Instance, CancellationToken.None);
        forwarder.Start(streams);

        await using (var writer = new FileStream(stdin, FileMode.Open, FileAccess.Write))
        {
            await writer.WriteAsync(data);
        }

        await streams.StdinClosed.Task.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.True(data.AsSpan().SequenceEqual(streams.StdinBytes()));
        Assert.Equal(1, streams.CloseCount);
    }

    [Fact]
    public async Task CloseIO_forwards_what_was_written_then_closes_while_the_writer_stays_open()
    {
        var streams = new ScriptedStreams();
        string stdin = Fifo("stdin");
        await using var forwarder = await StdioForwarder.OpenAsync(Poller, new ProcessIoPaths(stdin, string.Empty, string.Empty, false), "t", ("t", "default"), NullLogger.Instance, CancellationToken.None);
        forwarder.Start(streams);
        await using var writer = new FileStream(stdin, FileMode.Open, FileAccess.Write);
        var data = RandomNumberGenerator.GetBytes(1000);
        await writer.WriteAsync(data);
        await writer.FlushAsync();

        forwarder.CloseStdin();
        await streams.StdinClosed.Task.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(data, streams.StdinBytes());
    }

    [Fact]
    public async Task A_terminal_process_without_stdin_keeps_its_stdin_open()
    {
        var streams = new ScriptedStreams();
        string stdout = Fifo("stdout");
        await using var forwarder = await StdioForwarder.OpenAsync(Poller, new ProcessIoPaths(string.Empty, stdout, string.Empty, true), "t", ("t", "default"), NullLogger.Instance, CancellationToken.None);
        forwarder.Start(streams);

        await ReadAllAsync(stdout);
        await forwarder.OutputDrained;

        Assert.Equal(0, streams.CloseCount);
    }

    [Fact]
    public async Task A_slow_reader_holds_the_guest_back_instead_of_a_buffer_growing()
    {
        var streams = new ScriptedStreams { StdoutSource = max => new byte[Math.Min(max, 16_384)] };
        string stdout = Fifo("stdout");
        long bound = PipeCapacity(stdout) + (2 * StdioForwarder.ChunkSize);
        var forwarder = await StdioForwarder.OpenAsync(Poller, new ProcessIoPaths(string.Empty, stdout, string.Empty, false), "t", ("t", "default"), NullLogger.Instance, CancellationToken.None);
        forwarder.Start(streams);

        long read = 0;
        long worst = 0;
        await using (var reader = new FileStream(stdout, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1))
        {
            var buffer = new byte[4096];
            while (read < (1 << 20))
            {
                int n = await reader.ReadAsync(buffer);
                read += n;
                worst = Math.Max(worst, streams.HandedOut - read);
                await Task.Yield();
            }

            await forwarder.DisposeAsync();
        }

        Assert.True(worst <= bound, $"the guest was {worst} bytes ahead of the reader; at most {bound} may be in flight");
        Assert.True(streams.HandedOut <= read + bound);
    }

    [Fact]
    public async Task When_the_reader_goes_away_the_guest_output_is_still_drained_to_the_end()
    {
        int remaining = 64;
        var streams = new ScriptedStreams { StdoutSource = max => remaining-- > 0 ? new byte[Math.Min(max, 32_768)] : null };
        string stdout = Fifo("stdout");
        await using var forwarder = await StdioForwarder.OpenAsync(Poller, new ProcessIoPaths(string.Empty, stdout, string.Empty, false), "t", ("t", "default"), NullLogger.Instance, CancellationToken.None);
        forwarder.Start(streams);

        await using (var reader = new FileStream(stdout, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1))
        {
            var buffer = new byte[10];
            await reader.ReadExactlyAsync(buffer);
        }

        await forwarder.OutputDrained.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(64 * 32_768, streams.HandedOut);
    }

    private string Fifo(string name)
    {
        string path = Temp.Combine(name);
        Assert.Equal(0, LibC.MkFifo(path, 0x180));
        return path;
    }

    private static async Task<byte[]> ReadAllAsync(string fifo)
    {
        await using var reader = new FileStream(fifo, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1);
        using var all = new MemoryStream();
        await reader.CopyToAsync(all);
        return all.ToArray();
    }

    private static long PipeCapacity(string fifo)
    {
        // F_GETPIPE_SZ on a descriptor of the FIFO; opening read-write never blocks.
        int fd = LibC.Open(fifo, LibC.O_RDWR | LibC.O_NONBLOCK | LibC.O_CLOEXEC, 0);
        try
        {
            return LibC.Fcntl(fd, 1032, 0);
        }
        finally
        {
            LibC.Close(fd);
        }
    }
}
