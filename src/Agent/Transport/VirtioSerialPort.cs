namespace Sealpod.Agent.Transport;

/// <summary>
/// A virtio-serial port carrying ttrpc. The port is one character device for the agent's whole
/// life, but the host end (QEMU's chardev socket) may be reconnected, and every new host client
/// starts its stream ids at 1 again, which one ttrpc connection must reject. So the port is cut
/// into sessions, one ttrpc connection each. A session ends when
/// <list type="bullet">
/// <item>the port reads 0 bytes after data (the host disconnected; before any data it only means
/// no host is connected yet), or</item>
/// <item>a Request frame arrives whose stream id does not increase (a new client that reconnected
/// before the disconnect could be observed): that frame and everything after it go to the next session.</item>
/// </list>
/// Frame headers are examined whole before any of their bytes are handed out, so a frame is never
/// split between sessions.
/// </summary>
internal sealed class VirtioSerialPort : IDisposable
{
    private const int HeaderLength = 10;
    private const byte RequestType = 1;
    private static readonly TimeSpan HostPollInterval = TimeSpan.FromMilliseconds(200);

    private readonly AsyncFd _port;
    private readonly byte[] _buffer = new byte[64 * 1024];
    private int _start;
    private int _count;
    private long _frameRemaining;
    private uint _lastRequestId;
    private long _session;
    private bool _sawData;

    public VirtioSerialPort(AsyncFd port)
    {
        _port = port;
    }

    /// <summary>Starts the next session; the previous one must have ended.</summary>
    public Stream OpenSession()
    {
        _session++;
        _lastRequestId = 0;
        _sawData = _count > 0;
        return new VirtioSerialSession(this, _session);
    }

    public void Dispose() => _port.Dispose();

    internal bool IsCurrent(long session) => session == _session;

    /// <summary>Reads for <paramref name="session"/>; 0 ends it.</summary>
    internal async ValueTask<int> ReadAsync(long session, Memory<byte> destination, CancellationToken cancellationToken)
    {
        while (IsCurrent(session))
        {
            var delivered = Deliver(destination.Span, out var restart);
            if (delivered > 0)
            {
                return delivered;
            }

            if (restart)
            {
                return 0;
            }

            if (_start > 0)
            {
                // Keep the partial frame header at the front; make room behind it.
                _buffer.AsSpan(_start, _count).CopyTo(_buffer);
                _start = 0;
            }

            var read = await _port.ReadAsync(_buffer.AsMemory(_count), cancellationToken).ConfigureAwait(false);
            if (read > 0)
            {
                _count += read;
                _sawData = true;
                continue;
            }

            if (_sawData)
            {
                // The host went away: whatever it half-sent is lost with it.
                _start = _count = 0;
                _frameRemaining = 0;
                return 0;
            }

            await WaitForHostAsync(cancellationToken).ConfigureAwait(false);
        }

        return 0;
    }

    internal ValueTask WriteAsync(long session, ReadOnlyMemory<byte> data, CancellationToken cancellationToken) =>
        IsCurrent(session)
            ? _port.WriteAsync(data, cancellationToken)
            : ValueTask.FromException(new IOException("The host session on the virtio-serial port has ended."));

    /// <summary>Copies whole frames (and the rest of a frame in progress) up to a restarting Request.</summary>
    private int Deliver(Span<byte> destination, out bool restart)
    {
        restart = false;
        var delivered = 0;
        while (delivered < destination.Length && _count > 0)
        {
            if (_frameRemaining == 0)
            {
                if (_count < HeaderLength)
                {
                    break;
                }

                var header = _buffer.AsSpan(_start, HeaderLength);
                var streamId = BinaryPrimitives.ReadUInt32BigEndian(header[4..]);
                if (header[8] == RequestType)
                {
                    if (_lastRequestId != 0 && streamId <= _lastRequestId)
                    {
                        restart = true;
                        break;
                    }

                    _lastRequestId = streamId;
                }

                _frameRemaining = HeaderLength + (long)BinaryPrimitives.ReadUInt32BigEndian(header);
            }

            var chunk = (int)Math.Min(Math.Min(_frameRemaining, _count), destination.Length - delivered);
            _buffer.AsSpan(_start, chunk).CopyTo(destination[delivered..]);
            delivered += chunk;
            _start += chunk;
            _count -= chunk;
            _frameRemaining -= chunk;
            if (_count == 0)
            {
                _start = 0;
            }
        }

        return delivered;
    }

    private async Task WaitForHostAsync(CancellationToken cancellationToken)
    {
        // The port signals readiness when a host connects and sends, but a short poll also covers
        // kernels that report the hang-up state without a new edge.
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        wait.CancelAfter(HostPollInterval);
        try
        {
            await _port.WaitReadableAsync(wait.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // Poll again.
        }
    }
}
