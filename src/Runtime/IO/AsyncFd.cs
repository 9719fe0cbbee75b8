using Sealpod.Runtime.Native;

namespace Sealpod.Runtime.IO;

/// <summary>
/// A non-blocking descriptor (a FIFO end) with asynchronous reads and writes driven by <see cref="FdPoller"/>.
/// Reads are attempted only after the poller has reported the descriptor readable at least once: a FIFO
/// opened for reading before any writer has connected reads as end-of-file, which must not be mistaken for
/// the writer having closed.
/// </summary>
public sealed class AsyncFd : IDisposable
{
    private readonly FdPoller _poller;
    private readonly Lock _lock = new();
    private TaskCompletionSource? _readable;
    private TaskCompletionSource? _writable;
    private long _readEdges;
    private long _writeEdges;
    private int _fd;

    internal AsyncFd(FdPoller poller, int fd, ulong id, string name)
    {
        _poller = poller;
        _fd = fd;
        Id = id;
        Name = name;
    }

    public string Name { get; }

    internal ulong Id { get; }

    internal int Fd => _fd;

    /// <summary>
    /// Reads up to <paramref name="buffer"/>.Length bytes; 0 means the writer closed. Waiting is cancelled by
    /// <paramref name="cancellationToken"/>, but bytes already readable are returned first.
    /// </summary>
    public async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            long edges = Volatile.Read(ref _readEdges);
            if (edges > 0)
            {
                nint read = RawRead(LiveFd(), buffer.Span);

                if (read >= 0)
                {
                    return (int)read;
                }

                int errno = System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
                if (errno != LibC.EAGAIN && errno != LibC.EINTR)
                {
                    throw LibC.Error($"read {Name}");
                }
            }

            await WaitAsync(isRead: true, edges, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>One non-blocking read attempt: the byte count (0 = no writer), or null when nothing is readable now.</summary>
    public int? TryRead(Span<byte> buffer)
    {
        nint read = RawRead(LiveFd(), buffer);

        if (read >= 0)
        {
            return (int)read;
        }

        int errno = System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
        return errno is LibC.EAGAIN or LibC.EINTR ? null : throw LibC.Error($"read {Name}");
    }

    /// <summary>Writes all of <paramref name="data"/>, waiting while the reader is slow (that wait is the back-pressure).</summary>
    /// <exception cref="IOException">The reader went away (EPIPE) or the write failed.</exception>
    public async ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default)
    {
        while (!data.IsEmpty)
        {
            long edges = Volatile.Read(ref _writeEdges);
            nint written = RawWrite(LiveFd(), data.Span);

            if (written >= 0)
            {
                data = data[(int)written..];
                continue;
            }

            int errno = System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
            if (errno == LibC.EINTR)
            {
                continue;
            }

            if (errno != LibC.EAGAIN)
            {
                throw LibC.Error($"write {Name}");
            }

            await WaitAsync(isRead: false, edges, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Closes the descriptor; pending waits end with <see cref="ObjectDisposedException"/>.</summary>
    public void Dispose()
    {
        TaskCompletionSource? readable;
        TaskCompletionSource? writable;
        int fd;
        lock (_lock)
        {
            fd = _fd;
            if (fd < 0)
            {
                return;
            }

            _poller.Unregister(this);
            _fd = -1;
            readable = _readable;
            writable = _writable;
            _readable = _writable = null;
        }

        LibC.Close(fd);
        readable?.TrySetException(new ObjectDisposedException(Name));
        writable?.TrySetException(new ObjectDisposedException(Name));
    }

    internal void OnEvents(uint events)
    {
        TaskCompletionSource? readable = null;
        TaskCompletionSource? writable = null;
        lock (_lock)
        {
            if ((events & (LibC.EPOLLIN | LibC.EPOLLHUP | LibC.EPOLLRDHUP | LibC.EPOLLERR)) != 0)
            {
                _readEdges++;
                readable = _readable;
                _readable = null;
            }

            if ((events & (LibC.EPOLLOUT | LibC.EPOLLERR | LibC.EPOLLHUP)) != 0)
            {
                _writeEdges++;
                writable = _writable;
                _writable = null;
            }
        }

        readable?.TrySetResult();
        writable?.TrySetResult();
    }

    private static unsafe nint RawRead(int fd, Span<byte> buffer)
    {
        fixed (byte* pointer = buffer)
        {
            return LibC.Read(fd, pointer, (nuint)buffer.Length);
        }
    }

    private static unsafe nint RawWrite(int fd, ReadOnlySpan<byte> data)
    {
        fixed (byte* pointer = data)
        {
            return LibC.Write(fd, pointer, (nuint)data.Length);
        }
    }

    private int LiveFd()
    {
        int fd = Volatile.Read(ref _fd);
        ObjectDisposedException.ThrowIf(fd < 0, this);
        return fd;
    }

    private async Task WaitAsync(bool isRead, long seenEdges, CancellationToken cancellationToken)
    {
        Task wait;
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_fd < 0, this);
            long edges = isRead ? _readEdges : _writeEdges;
            if (edges != seenEdges)
            {
                // An edge arrived after the attempt: try again at once.
                return;
            }

            ref TaskCompletionSource? slot = ref isRead ? ref _readable : ref _writable;
            slot ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            wait = slot.Task;
        }

        await wait.WaitAsync(cancellationToken).ConfigureAwait(false);
    }
}
