using System.Security.Cryptography;
using Sealpod.Linux.IO;

namespace Sealpod.Linux.Tests;

/// <summary>
/// Non-blocking reads and writes through the poller on real pipes and FIFOs: waiting for data, end of file,
/// back-pressure, errors that name the descriptor, cancellation, and disposal while an operation waits.
/// </summary>
public sealed class AsyncFdTests() : TempDirectoryTest("sealpod-linux-")
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private readonly FdPoller _poller = new();
    private readonly List<AsyncFd> _registered = [];

    protected override void Dispose(bool disposing)
    {
        foreach (var fd in _registered)
        {
            fd.Dispose();
        }

        _poller.Dispose();
        base.Dispose(disposing);
    }

    /// <summary>A new pipe with both ends registered with the poller; they are closed when the test ends.</summary>
    private (AsyncFd Reader, AsyncFd Writer) RegisteredPipe()
    {
        var (read, write) = Pipe.Create();
        var ends = (_poller.Register(read), _poller.Register(write));
        _registered.AddRange([ends.Item1, ends.Item2]);
        return ends;
    }

    [Fact]
    public async Task A_read_waits_for_the_writer_and_returns_zero_once_it_has_closed()
    {
        var (read, write) = Pipe.Create();
        using var reader = _poller.Register(read, "pipe");
        var writer = _poller.Register(write);
        var buffer = new byte[16];

        var pending = reader.ReadAsync(buffer).AsTask();
        await Task.Delay(100);
        Assert.False(pending.IsCompleted);

        await writer.WriteAsync("hello"u8.ToArray());
        Assert.Equal(5, await pending.WaitAsync(Timeout));
        Assert.Equal("hello"u8.ToArray(), buffer[..5]);

        writer.Dispose();
        Assert.Equal(0, await reader.ReadAsync(buffer).AsTask().WaitAsync(Timeout));
    }

    [Fact]
    public async Task A_fifo_opened_before_any_writer_is_not_read_as_end_of_file()
    {
        var path = Temp.Combine("fifo");
        Assert.Equal(0, LibC.MkFifo(path, 0x180));
        var fd = LibC.Open(path, LibC.O_RDONLY | LibC.O_NONBLOCK | LibC.O_CLOEXEC, 0);
        Assert.True(fd >= 0, LibC.LastErrorText());
        using var reader = _poller.Register(fd, path);
        var buffer = new byte[8];

        // read(2) would return 0 now; the first read waits for the poller to report the FIFO readable instead.
        var pending = reader.ReadAsync(buffer).AsTask();
        await Task.Delay(200);
        Assert.False(pending.IsCompleted);

        await using (var writer = new FileStream(path, FileMode.Open, FileAccess.Write))
        {
            await writer.WriteAsync("x"u8.ToArray());
        }

        Assert.Equal(1, await pending.WaitAsync(Timeout));
        Assert.Equal((byte)'x', buffer[0]);
        Assert.Equal(0, await reader.ReadAsync(buffer).AsTask().WaitAsync(Timeout));
    }

    [Fact]
    public async Task TryRead_returns_null_when_nothing_is_readable_and_the_bytes_when_some_are()
    {
        var (reader, writer) = RegisteredPipe();
        var buffer = new byte[8];

        Assert.Null(reader.TryRead(buffer));

        await writer.WriteAsync("abc"u8.ToArray());
        Assert.Equal(3, reader.TryRead(buffer));
        Assert.Equal("abc"u8.ToArray(), buffer[..3]);
    }

    [Fact]
    public async Task A_write_larger_than_the_pipe_waits_for_the_reader_and_arrives_whole()
    {
        var (reader, writer) = RegisteredPipe();
        var data = RandomNumberGenerator.GetBytes(4 << 20);

        var writing = writer.WriteAsync(data).AsTask();
        await Task.Delay(100);
        Assert.False(writing.IsCompleted); // a pipe holds 64 KiB: the rest waits for the reader

        var received = new MemoryStream();
        var buffer = new byte[100_000];
        while (received.Length < data.Length)
        {
            var n = await reader.ReadAsync(buffer).AsTask().WaitAsync(Timeout);
            Assert.NotEqual(0, n);
            received.Write(buffer, 0, n);
        }

        await writing.WaitAsync(Timeout);
        Assert.True(data.AsSpan().SequenceEqual(received.ToArray()));
    }

    [Fact]
    public async Task A_write_after_the_reader_closed_fails_with_EPIPE_naming_the_descriptor()
    {
        var (read, write) = Pipe.Create();
        Assert.Equal(0, LibC.Close(read));
        using var writer = _poller.Register(write, "stdout of test");

        var error = await Assert.ThrowsAsync<SystemCallException>(() => writer.WriteAsync("x"u8.ToArray()).AsTask());

        Assert.Equal(LibC.EPIPE, error.Errno);
        Assert.StartsWith("write stdout of test: ", error.Message, StringComparison.Ordinal);
        Assert.EndsWith($"(errno {LibC.EPIPE})", error.Message, StringComparison.Ordinal);
        Assert.IsAssignableFrom<IOException>(error);
    }

    [Fact]
    public async Task A_cancelled_read_leaves_the_descriptor_ready_for_the_next_one()
    {
        var (reader, writer) = RegisteredPipe();
        var buffer = new byte[8];

        using (var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(100)))
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => reader.ReadAsync(buffer, cancel.Token).AsTask());
        }

        var next = reader.ReadAsync(buffer).AsTask();
        await writer.WriteAsync("y"u8.ToArray());
        Assert.Equal(1, await next.WaitAsync(Timeout));
    }

    [Fact]
    public async Task Only_one_read_may_wait_at_a_time()
    {
        var (reader, writer) = RegisteredPipe();
        await writer.WriteAsync("z"u8.ToArray());
        Assert.Equal(1, await reader.ReadAsync(new byte[1]).AsTask().WaitAsync(Timeout)); // readiness seen: reads go to read(2)

        var first = reader.ReadAsync(new byte[1]).AsTask();
        await Assert.ThrowsAsync<InvalidOperationException>(() => reader.ReadAsync(new byte[1]).AsTask());

        await writer.WriteAsync("z"u8.ToArray());
        Assert.Equal(1, await first.WaitAsync(Timeout));
    }

    [Fact]
    public async Task Disposing_fails_a_waiting_read_and_closes_the_descriptor()
    {
        var (read, write) = Pipe.Create();
        var reader = _poller.Register(read);
        using var peer = _poller.Register(write);
        var pending = reader.ReadAsync(new byte[1]).AsTask();
        await Task.Delay(50);

        reader.Dispose();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => pending.WaitAsync(Timeout));
        Assert.True(reader.IsDisposed);
        Assert.False(Pipe.IsOpen(read));
        Assert.Throws<ObjectDisposedException>(() => reader.WithDescriptor(fd => fd));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => reader.ReadAsync(new byte[1]).AsTask());
    }

    [Fact]
    public async Task WaitReadable_completes_when_the_peer_writes()
    {
        var (reader, writer) = RegisteredPipe();
        var waiting = reader.WaitReadableAsync();
        await Task.Delay(100);
        Assert.False(waiting.IsCompleted);

        await writer.WriteAsync("w"u8.ToArray());

        await waiting.WaitAsync(Timeout);
        Assert.Equal(1, reader.TryRead(new byte[4]));
    }

    [Fact]
    public void Registering_switches_the_descriptor_to_non_blocking()
    {
        var (read, write) = Pipe.Create();
        using var reader = _poller.Register(read);
        LibC.Close(write);

        Assert.NotEqual(0, reader.WithDescriptor(fd => LibC.Fcntl(fd, LibC.F_GETFL, 0)) & LibC.O_NONBLOCK);
    }

    [Fact]
    public void A_descriptor_epoll_cannot_watch_is_refused_and_closed()
    {
        var path = Temp.Combine("file");
        File.WriteAllText(path, "regular files are always ready: epoll refuses them");
        var fd = LibC.Open(path, LibC.O_RDONLY | LibC.O_CLOEXEC, 0);

        var error = Assert.Throws<SystemCallException>(() => _poller.Register(fd, path));

        Assert.Equal("epoll_ctl", error.Operation);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.False(Pipe.IsOpen(fd));
    }

    [Fact]
    public async Task Disposing_the_poller_disposes_what_it_watches()
    {
        var poller = new FdPoller();
        var (read, write) = Pipe.Create();
        var reader = poller.Register(read);
        var pending = reader.ReadAsync(new byte[1]).AsTask();

        poller.Dispose();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => pending.WaitAsync(Timeout));
        Assert.False(Pipe.IsOpen(read));
        Assert.Throws<ObjectDisposedException>(() => poller.Register(write));
        Assert.False(Pipe.IsOpen(write)); // a refused registration still takes the descriptor
    }
}
