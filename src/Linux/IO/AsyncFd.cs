namespace Sealpod.Linux.IO;

/// <summary>
/// A non-blocking descriptor watched by an <see cref="FdPoller"/>: pipe end, FIFO end, pty master, character
/// device or socket. At most one read and one write may wait at a time; callers serialise.
/// Reads wait until the poller has reported the descriptor readable at least once: a FIFO opened for reading
/// before any writer has connected reads as end of file, which must not be mistaken for the writer having closed.
/// Disposing closes the descriptor once no system call is using it (the SafeHandle count), so a concurrent
/// dispose never lets a read or write reach a number the kernel has handed out again.
/// </summary>
public sealed class AsyncFd : IDisposable
{
    private readonly FdPoller _poller;
    private readonly SafeFileHandle _handle;
    private readonly Lock _gate = new();
    private readonly Waiter _reader = new();
    private readonly Waiter _writer = new();
    private bool _disposed;

    internal AsyncFd(FdPoller poller, SafeFileHandle handle, ulong id, string? name)
    {
        _poller = poller;
        _handle = handle;
        Id = id;
        Name = name;
    }

    /// <summary>What errors call the descriptor; null when it was registered without a name.</summary>
    public string? Name { get; }

    public bool IsDisposed
    {
        get
        {
            lock (_gate)
            {
                return _disposed;
            }
        }
    }

    internal ulong Id { get; }

    /// <summary>
    /// Reads what is available, waiting for data when there is none. Returns 0 at end of file. Waiting is
    /// cancelled by <paramref name="cancellationToken"/>, but bytes already readable are returned first.
    /// Errors other than EAGAIN/EINTR throw <see cref="SystemCallException"/> (a pty master reports
    /// EIO once its slave side is closed; callers that read ptys treat that as end of file).
    /// </summary>
    public async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            var edges = Snapshot(_reader);
            if (edges > 0)
            {
                var result = RawRead(buffer.Span);
                if (result >= 0)
                {
                    return result;
                }

                if (!MustWait(-result, "read"))
                {
                    continue;
                }
            }

            await WaitAsync(_reader, edges, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// One non-blocking read attempt, whether or not readiness was reported yet: the byte count (0 = end of file,
    /// or no writer), or null when nothing is readable now.
    /// </summary>
    public int? TryRead(Span<byte> buffer)
    {
        var result = RawRead(buffer);
        if (result >= 0)
        {
            return result;
        }

        var error = -result;
        return error is LibC.EAGAIN or LibC.EINTR ? null : throw new SystemCallException("read", error, Name);
    }

    /// <summary>Writes all of <paramref name="data"/>, waiting whenever the descriptor is full (that wait is the back-pressure).</summary>
    /// <exception cref="SystemCallException">The reader went away (EPIPE) or the write failed.</exception>
    public async ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default)
    {
        while (!data.IsEmpty)
        {
            var edges = Snapshot(_writer);
            var result = RawWrite(data.Span);
            if (result >= 0)
            {
                data = data[result..];
            }
            else if (MustWait(-result, "write"))
            {
                await WaitAsync(_writer, edges, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Waits until the descriptor reports readiness (or hang-up) for reading.</summary>
    public Task WaitReadableAsync(CancellationToken cancellationToken = default) =>
        WaitAsync(_reader, Snapshot(_reader), cancellationToken);

    /// <summary>
    /// Runs <paramref name="call"/> with the raw descriptor while holding a reference, so a
    /// concurrent dispose cannot close (and the kernel reuse) the number under it.
    /// </summary>
    public T WithDescriptor<T>(Func<int, T> call)
    {
        ArgumentNullException.ThrowIfNull(call);
        try
        {
            using var lease = new DescriptorLease(_handle);
            return call(lease.Descriptor);
        }
        catch (ObjectDisposedException)
        {
            throw new ObjectDisposedException(Name ?? nameof(AsyncFd));
        }
    }

    /// <summary>Stops watching and closes the descriptor; pending waits end with <see cref="ObjectDisposedException"/>.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _reader.Fail(Name);
            _writer.Fail(Name);
        }

        try
        {
            using var lease = new DescriptorLease(_handle);
            _poller.Unregister(this, lease.Descriptor);
        }
        catch (ObjectDisposedException)
        {
            // Already closed: nothing is registered any more.
        }

        _handle.Dispose();
    }

    internal void OnEvents(uint events)
    {
        lock (_gate)
        {
            if ((events & (LibC.EPOLLIN | LibC.EPOLLRDHUP | LibC.EPOLLHUP | LibC.EPOLLERR)) != 0)
            {
                _reader.Signal();
            }

            if ((events & (LibC.EPOLLOUT | LibC.EPOLLHUP | LibC.EPOLLERR)) != 0)
            {
                _writer.Signal();
            }
        }
    }

    private long Snapshot(Waiter waiter)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return waiter.Edges;
        }
    }

    private Task WaitAsync(Waiter waiter, long edgesSeen, CancellationToken cancellationToken)
    {
        TaskCompletionSource pending;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (waiter.Edges != edgesSeen)
            {
                // The descriptor became ready after the attempt: try again at once.
                return Task.CompletedTask;
            }

            if (waiter.Pending is not null)
            {
                throw new InvalidOperationException("Another operation is already waiting on this descriptor.");
            }

            pending = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            waiter.Pending = pending;
        }

        if (!cancellationToken.CanBeCanceled)
        {
            return pending.Task;
        }

        return WaitCancellableAsync(waiter, pending, cancellationToken);
    }

    private async Task WaitCancellableAsync(Waiter waiter, TaskCompletionSource pending, CancellationToken cancellationToken)
    {
        await using var registration = cancellationToken.Register(() =>
        {
            lock (_gate)
            {
                if (ReferenceEquals(waiter.Pending, pending))
                {
                    waiter.Pending = null;
                }
            }

            pending.TrySetCanceled(cancellationToken);
        }).ConfigureAwait(false);
        await pending.Task.ConfigureAwait(false);
    }

    // What a failed raw read or write's errno asks for: false, try again at once (EINTR); true, wait for readiness
    // (EAGAIN); anything else is the descriptor's error.
    private bool MustWait(int error, string operation) => error switch
    {
        LibC.EAGAIN => true,
        LibC.EINTR => false,
        _ => throw new SystemCallException(operation, error, Name),
    };

    // The byte count, or -errno.
    private unsafe int RawRead(Span<byte> buffer)
    {
        using var lease = new DescriptorLease(_handle);
        fixed (byte* pointer = buffer)
        {
            var result = LibC.Read(lease.Descriptor, pointer, (nuint)buffer.Length);
            return result >= 0 ? (int)result : -Marshal.GetLastPInvokeError();
        }
    }

    private unsafe int RawWrite(ReadOnlySpan<byte> data)
    {
        using var lease = new DescriptorLease(_handle);
        fixed (byte* pointer = data)
        {
            var result = LibC.Write(lease.Descriptor, pointer, (nuint)data.Length);
            return result >= 0 ? (int)result : -Marshal.GetLastPInvokeError();
        }
    }

    /// <summary>Edge count and the one pending wait of one direction.</summary>
    private sealed class Waiter
    {
        public long Edges { get; private set; }

        public TaskCompletionSource? Pending { get; set; }

        public void Signal()
        {
            Edges++;
            var pending = Pending;
            Pending = null;
            pending?.TrySetResult();
        }

        public void Fail(string? name)
        {
            var pending = Pending;
            Pending = null;
            pending?.TrySetException(new ObjectDisposedException(name ?? nameof(AsyncFd)));
        }
    }
}
