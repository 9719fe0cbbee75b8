namespace Sealpod.Runtime.IO;

/// <summary>
/// Copies one process's standard streams between containerd's FIFOs on the host and the agent's stream calls:
/// stdin from the FIFO to WriteStdin (end-of-file becomes CloseStdin), stdout and stderr from the agent's long
/// polls into the FIFOs. Nothing is read ahead of what the other side accepted, so a slow reader slows the
/// container instead of growing a buffer here. Output from the guest is always drained, even when containerd
/// has no reader for it, so a process never blocks on a full pipe; <see cref="OutputDrained"/> completes when
/// both output streams have ended and their FIFOs are closed, which is when the exit may be reported.
/// </summary>
public sealed partial class StdioForwarder : IAsyncDisposable
{
    /// <summary>Bytes per agent read and per stdin write: large enough to amortise a VM round trip, well under ttrpc's 4 MiB.</summary>
    public const int ChunkSize = 64 * 1024;

    private readonly FdPoller _poller;
    private readonly ProcessIoPaths _paths;
    private readonly string _name;
    private readonly ILogger _logger;
    private readonly AsyncFd? _stdin;
    private readonly BinaryLogger? _binaryLogger;
    private readonly CancellationTokenSource _stop = new();
    private readonly CancellationTokenSource _closeStdin = new();
    private Task _stdinLoop = Task.CompletedTask;
    private Task _outputLoops = Task.CompletedTask;
    private int _started;
    private int _disposed;

    private StdioForwarder(FdPoller poller, ProcessIoPaths paths, string name, ILogger logger, AsyncFd? stdin, BinaryLogger? binaryLogger)
    {
        _poller = poller;
        _paths = paths;
        _name = name;
        _logger = logger;
        _stdin = stdin;
        _binaryLogger = binaryLogger;
    }

    public ProcessIoPaths Paths => _paths;

    /// <summary>Completes once stdout and stderr have ended (or failed) and their FIFOs are closed; never faults.</summary>
    public Task OutputDrained => _outputLoops;

    /// <summary>
    /// Opens the stdin FIFO now, so a bad path fails the create call; output FIFOs are opened by the copy loops,
    /// which may have to wait for containerd's reader. A <c>binary://</c> stdout starts its logger now and waits
    /// until it is ready, as containerd's runc shim does; it then takes both stdout and stderr.
    /// </summary>
    /// <param name="name">How logs name the process (container id, or container/exec).</param>
    /// <param name="owner">Who a binary logger is told it logs for: the process id and the containerd namespace.</param>
    public static async Task<StdioForwarder> OpenAsync(
        FdPoller poller, ProcessIoPaths paths, string name, (string ProcessId, string Namespace) owner, ILogger logger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(poller);
        ArgumentNullException.ThrowIfNull(paths);
        var stdin = paths.Stdin.Length > 0 ? FifoOpener.OpenForReading(poller, paths.Stdin) : null;
        try
        {
            var binaryLogger = BinaryLogger.IsBinaryUri(paths.Stdout)
                ? await BinaryLogger.StartAsync(poller, paths.Stdout, owner.ProcessId, owner.Namespace, cancellationToken).ConfigureAwait(false)
                : null;
            return new StdioForwarder(poller, paths, name, logger, stdin, binaryLogger);
        }
        catch
        {
            stdin?.Dispose();
            throw;
        }
    }

    /// <summary>Starts copying; call once the guest process exists.</summary>
    public void Start(IProcessStreams streams)
    {
        ArgumentNullException.ThrowIfNull(streams);
        if (Interlocked.Exchange(ref _started, 1) != 0)
        {
            throw new InvalidOperationException($"the streams of {_name} are already being copied");
        }

        _stdinLoop = _stdin is not null
            ? Task.Run(() => CopyStdinAsync(_stdin, streams))
            : _paths.Terminal ? Task.CompletedTask : Task.Run(() => CloseUnusedStdinAsync(streams));

        var stdout = Task.Run(() => CopyOutputAsync(_paths.Stdout, "stdout", streams.ReadStdoutAsync));

        // With a terminal the guest merges both streams into the pty; there is no stderr to read.
        var stderr = _paths.Terminal ? Task.CompletedTask : Task.Run(() => CopyOutputAsync(_paths.Stderr, "stderr", streams.ReadStderrAsync));
        _outputLoops = Task.WhenAll(stdout, stderr);
    }

    /// <summary>
    /// containerd's CloseIO: forwards what the stdin FIFO holds now, then closes the guest's stdin, even though
    /// a writer may still have the FIFO open.
    /// </summary>
    public void CloseStdin()
    {
        if (Volatile.Read(ref _disposed) != 0)
        {
            return;
        }

        try
        {
            _closeStdin.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Disposed between the check and the cancel: the streams are closed anyway.
        }
    }

    /// <summary>Stops copying (whatever has not been copied is abandoned) and closes every descriptor.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_stdinLoop, _outputLoops).ConfigureAwait(false);
        _stdin?.Dispose();
        if (_binaryLogger is not null)
        {
            await _binaryLogger.DisposeAsync().ConfigureAwait(false);
        }

        _stop.Dispose();
        _closeStdin.Dispose();
    }

    private async Task CopyStdinAsync(AsyncFd stdin, IProcessStreams streams)
    {
        var buffer = new byte[ChunkSize];
        using var readCancel = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token, _closeStdin.Token);
        long total = 0;
        try
        {
            while (true)
            {
                int read;
                try
                {
                    read = await stdin.ReadAsync(buffer, readCancel.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (_closeStdin.IsCancellationRequested && !_stop.IsCancellationRequested)
                {
                    // CloseIO: whatever is already in the FIFO still goes, then end-of-file.
                    read = stdin.TryRead(buffer) ?? 0;
                }

                if (read == 0)
                {
                    break;
                }

                await WriteAllAsync(streams, buffer.AsMemory(0, read)).ConfigureAwait(false);
                total += read;
            }

            await streams.CloseStdinAsync(_stop.Token).ConfigureAwait(false);
            LogStdinClosed(_logger, _name, total);
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            LogStreamEnded(_logger, _name, "stdin", e.Message);
        }
    }

    private async Task WriteAllAsync(IProcessStreams streams, ReadOnlyMemory<byte> data)
    {
        while (!data.IsEmpty)
        {
            int written = await streams.WriteStdinAsync(data, _stop.Token).ConfigureAwait(false);
            if (written <= 0 || written > data.Length)
            {
                throw new IOException($"the guest accepted {written} of {data.Length} stdin bytes");
            }

            data = data[written..];
        }
    }

    private async Task CloseUnusedStdinAsync(IProcessStreams streams)
    {
        // No stdin requested: the process reads end-of-file, as it would from runc's /dev/null.
        try
        {
            await streams.CloseStdinAsync(_stop.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            LogStreamEnded(_logger, _name, "stdin", e.Message);
        }
    }

    private async Task CopyOutputAsync(string uri, string stream, Func<int, CancellationToken, Task<ReadOnlyMemory<byte>>> read)
    {
        OutputTarget? target = null;
        bool discard = uri.Length == 0 && _binaryLogger is null;
        long total = 0;
        try
        {
            if (!discard)
            {
                try
                {
                    target = _binaryLogger is not null
                        ? OutputTarget.ForPipe(stream == "stdout" ? _binaryLogger.Stdout : _binaryLogger.Stderr)
                        : await OutputTarget.OpenAsync(_poller, uri, stream, _stop.Token).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogOutputLost(_logger, _name, stream, e.Message);
                    discard = true;
                }
            }

            while (true)
            {
                var data = await read(ChunkSize, _stop.Token).ConfigureAwait(false);
                if (data.IsEmpty)
                {
                    break;
                }

                total += data.Length;
                if (discard)
                {
                    continue;
                }

                try
                {
                    await target!.WriteAsync(data, _stop.Token).ConfigureAwait(false);
                }
                catch (IOException e)
                {
                    // The reader went away (EPIPE): keep draining the guest so the process is not blocked.
                    LogOutputLost(_logger, _name, stream, e.Message);
                    discard = true;
                }
            }

            LogOutputEnded(_logger, _name, stream, total);
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The agent is gone (VM died) or refused the read: the stream ends here.
            LogStreamEnded(_logger, _name, stream, e.Message);
        }
        finally
        {
            if (target is not null)
            {
                await target.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Name}: stdin closed after {Bytes} bytes")]
    private static partial void LogStdinClosed(ILogger logger, string name, long bytes);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Name}: {Stream} ended after {Bytes} bytes")]
    private static partial void LogOutputEnded(ILogger logger, string name, string stream, long bytes);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Name}: {Stream} ended early: {Reason}")]
    private static partial void LogStreamEnded(ILogger logger, string name, string stream, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Name}: {Stream} output is discarded from now on: {Reason}")]
    private static partial void LogOutputLost(ILogger logger, string name, string stream, string reason);
}
