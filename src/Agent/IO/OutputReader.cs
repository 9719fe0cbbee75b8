namespace Sealpod.Agent.IO;

/// <summary>
/// One output stream: serialises the long-poll reads, remembers end of stream and closes the
/// descriptor as soon as it is reached. A pty master reports EIO once every slave is closed,
/// which is its end of stream.
/// </summary>
internal sealed class OutputReader : IDisposable
{
    private readonly AsyncFd? _fd;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly TaskCompletionSource _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _atEnd;

    public OutputReader(AsyncFd? fd)
    {
        _fd = fd;
        if (fd is null)
        {
            _atEnd = true;
            _ended.TrySetResult();
        }
    }

    public Task Ended => _ended.Task;

    public async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_atEnd || buffer.IsEmpty)
            {
                return 0;
            }

            int read;
            try
            {
                read = await _fd!.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            }
            catch (SystemCallException e) when (e.Errno == LibC.EIO)
            {
                read = 0;
            }
            catch (ObjectDisposedException)
            {
                read = 0;
            }

            if (read == 0)
            {
                _atEnd = true;
                _fd!.Dispose();
                _ended.TrySetResult();
            }

            return read;
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose()
    {
        _fd?.Dispose();
        _ended.TrySetResult();
    }
}
