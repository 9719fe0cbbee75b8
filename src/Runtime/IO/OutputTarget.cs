namespace Sealpod.Runtime.IO;

/// <summary>Where one output stream goes: a FIFO containerd reads, a <c>file://</c> log file appended to, or a binary logger's pipe.</summary>
internal sealed class OutputTarget : IAsyncDisposable
{
    private readonly AsyncFd? _fifo;
    private readonly FileStream? _file;

    private OutputTarget(AsyncFd? fifo, FileStream? file)
    {
        _fifo = fifo;
        _file = file;
    }

    public static async Task<OutputTarget> OpenAsync(FdPoller poller, string uri, string stream, CancellationToken cancellationToken)
    {
        if (uri.StartsWith("file://", StringComparison.Ordinal))
        {
            string path = FifoOpener.ToPath(uri, stream);
            var file = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite, 0, useAsync: false);
            return new OutputTarget(null, file);
        }

        return new OutputTarget(await FifoOpener.OpenForWritingAsync(poller, uri, stream, cancellationToken).ConfigureAwait(false), null);
    }

    /// <summary>A pipe already open for writing (a <see cref="BinaryLogger"/>'s); disposing the target closes it.</summary>
    public static OutputTarget ForPipe(AsyncFd pipe) => new(pipe ?? throw new ArgumentNullException(nameof(pipe)), null);

    public async ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        if (_fifo is not null)
        {
            await _fifo.WriteAsync(data, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await _file!.WriteAsync(data, cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _fifo?.Dispose();
        if (_file is not null)
        {
            await _file.DisposeAsync().ConfigureAwait(false);
        }
    }
}
