using System.Buffers;
using System.IO.Pipelines;
using System.Text.Json.Serialization.Metadata;
using System.Threading.Channels;

namespace Sealpod.Vmm.Qemu.Qmp;

/// <summary>
/// A QMP (QEMU Machine Protocol) client over a unix socket. QMP is one JSON object per line: a
/// greeting, then replies carrying the <c>id</c> of the command they answer, interleaved with
/// asynchronous events. One receive loop reads every line; replies complete the waiting command
/// by id, events go to <see cref="Events"/>. When the connection ends, every pending command fails
/// at once with <see cref="QmpConnectionClosedException"/>.
/// </summary>
public sealed partial class QmpClient : IAsyncDisposable
{
    // A reply larger than this is not something the runtime asks for; refuse it rather than buffer without bound.
    private const int MaxMessageBytes = 8 * 1024 * 1024;
    private const int EventBacklog = 256;

    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly PipeReader _reader;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly ConcurrentDictionary<long, PendingCommand> _pending = new();
    private readonly Channel<QmpEvent> _events;
    private readonly TaskCompletionSource<QmpGreeting> _greeting = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stopReceiving = new();
    private Task _receiveLoop = Task.CompletedTask;
    private long _nextId;
    private int _closeStarted;
    private int _disposed;
    private volatile Exception? _closeReason;

    private QmpClient(Socket socket, ILogger logger)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: true);
        _reader = PipeReader.Create(_stream, new StreamPipeReaderOptions(leaveOpen: true));
        _logger = logger;

        // Events are rare (state changes, unplugs); the bound only matters if nobody reads them,
        // and then the oldest are the least useful.
        _events = Channel.CreateBounded<QmpEvent>(new BoundedChannelOptions(EventBacklog)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleWriter = true,
        });
    }

    /// <summary>QEMU's greeting.</summary>
    public QmpGreeting Greeting => _greeting.Task.IsCompletedSuccessfully
        ? _greeting.Task.Result
        : throw new InvalidOperationException("the QMP greeting has not been received");

    /// <summary>Asynchronous events in arrival order; completes when the connection closes.</summary>
    public ChannelReader<QmpEvent> Events => _events.Reader;

    /// <summary>Completes when the connection has closed, for whatever reason.</summary>
    public Task Closed => _closed.Task;

    /// <summary>Whether the connection has closed.</summary>
    public bool IsClosed => Volatile.Read(ref _closeStarted) != 0;

    /// <summary>
    /// Connects to QEMU's QMP socket, reads the greeting and leaves negotiation mode with
    /// <c>qmp_capabilities</c>. On failure the socket is closed.
    /// </summary>
    public static async Task<QmpClient> ConnectAsync(string socketPath, ILogger? logger = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(socketPath);
        var socket = await UnixStreamSocket.ConnectAsync(socketPath, cancellationToken).ConfigureAwait(false);

        var client = new QmpClient(socket, logger ?? NullLogger.Instance);
        try
        {
            client._receiveLoop = client.ReceiveLoopAsync();
            var greeting = await client._greeting.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
            LogGreeting(client._logger, greeting.Version.ToString(), string.Join(",", greeting.Capabilities));
            await client.ExecuteAsync("qmp_capabilities", cancellationToken).ConfigureAwait(false);
            return client;
        }
        catch
        {
            await client.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Runs a command without arguments and returns its <c>return</c> value.</summary>
    public Task<JsonElement> ExecuteAsync(string command, CancellationToken cancellationToken = default) =>
        SendAsync(command, writeArguments: null, cancellationToken);

    /// <summary>Runs a command with typed arguments and returns its <c>return</c> value.</summary>
    public Task<JsonElement> ExecuteAsync<TArguments>(
        string command,
        TArguments arguments,
        JsonTypeInfo<TArguments> argumentsType,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(argumentsType);
        return SendAsync(command, writer => JsonSerializer.Serialize(writer, arguments, argumentsType), cancellationToken);
    }

    /// <summary><c>query-status</c>: the VM's run state.</summary>
    public async Task<QmpStatus> QueryStatusAsync(CancellationToken cancellationToken = default)
    {
        var result = await ExecuteAsync("query-status", cancellationToken).ConfigureAwait(false);
        return result.Deserialize(QmpJsonContext.Default.QmpStatus)
            ?? throw new InvalidDataException("QMP query-status returned null");
    }

    /// <summary><c>query-cpus-fast</c>: the vCPUs and their host threads, without interrupting them.</summary>
    public async Task<IReadOnlyList<QmpCpuInfo>> QueryCpusFastAsync(CancellationToken cancellationToken = default)
    {
        var result = await ExecuteAsync("query-cpus-fast", cancellationToken).ConfigureAwait(false);
        return result.Deserialize(QmpJsonContext.Default.QmpCpuInfoArray)
            ?? throw new InvalidDataException("QMP query-cpus-fast returned null");
    }

    /// <summary><c>stop</c>: pause the vCPUs.</summary>
    public Task StopAsync(CancellationToken cancellationToken = default) => ExecuteAsync("stop", cancellationToken);

    /// <summary><c>cont</c>: run (or start, after -S) the vCPUs.</summary>
    public Task ContinueAsync(CancellationToken cancellationToken = default) => ExecuteAsync("cont", cancellationToken);

    /// <summary><c>system_powerdown</c>: press the ACPI power button; the guest decides what to do.</summary>
    public Task SystemPowerdownAsync(CancellationToken cancellationToken = default) => ExecuteAsync("system_powerdown", cancellationToken);

    /// <summary>
    /// <c>quit</c>: QEMU exits at once. QEMU may close the socket before its reply gets through,
    /// which counts as success: the process is going away as asked.
    /// </summary>
    public async Task QuitAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            await ExecuteAsync("quit", cancellationToken).ConfigureAwait(false);
        }
        catch (QmpConnectionClosedException) when (_closeReason is not ObjectDisposedException)
        {
        }
    }

    /// <summary><c>blockdev-add</c>.</summary>
    public Task BlockdevAddAsync(BlockdevAddArguments arguments, CancellationToken cancellationToken = default) =>
        ExecuteAsync("blockdev-add", arguments, QmpJsonContext.Default.BlockdevAddArguments, cancellationToken);

    /// <summary><c>blockdev-del</c>.</summary>
    public Task BlockdevDelAsync(string nodeName, CancellationToken cancellationToken = default) =>
        ExecuteAsync("blockdev-del", new BlockdevDelArguments(nodeName), QmpJsonContext.Default.BlockdevDelArguments, cancellationToken);

    /// <summary><c>device_add</c>.</summary>
    public Task DeviceAddAsync(DeviceAddArguments arguments, CancellationToken cancellationToken = default) =>
        ExecuteAsync("device_add", arguments, QmpJsonContext.Default.DeviceAddArguments, cancellationToken);

    /// <summary>
    /// <c>device_del</c>: a request; the device is gone only when DEVICE_DELETED arrives, which for
    /// PCI needs the guest to acknowledge the ACPI eject.
    /// </summary>
    public Task DeviceDelAsync(string id, CancellationToken cancellationToken = default) =>
        ExecuteAsync("device_del", new DeviceDelArguments(id), QmpJsonContext.Default.DeviceDelArguments, cancellationToken);

    /// <summary>Closes the connection; pending commands fail with <see cref="QmpConnectionClosedException"/>.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        Close(new ObjectDisposedException(nameof(QmpClient)));
        await _stopReceiving.CancelAsync().ConfigureAwait(false);
        try
        {
            await _receiveLoop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        await _reader.CompleteAsync().ConfigureAwait(false);
        await _stream.DisposeAsync().ConfigureAwait(false);

        // _sendLock is not disposed: a sender racing the close may still release it, and a
        // SemaphoreSlim without a wait handle holds nothing to free.
        _stopReceiving.Dispose();
    }

    private async Task<JsonElement> SendAsync(string command, Action<Utf8JsonWriter>? writeArguments, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(command);
        cancellationToken.ThrowIfCancellationRequested();

        var id = Interlocked.Increment(ref _nextId);
        var pending = new PendingCommand(command);
        _pending[id] = pending;

        // Close() may have swept the table just before we registered; look again so nothing waits forever.
        if (IsClosed)
        {
            _pending.TryRemove(id, out _);
            throw ClosedError(command);
        }

        var message = Serialize(command, id, writeArguments);
        try
        {
            await _sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                // Not cancellable: abandoning a half-written line would corrupt the stream for every later command.
                await _stream.WriteAsync(message, CancellationToken.None).ConfigureAwait(false);
            }
            finally
            {
                _sendLock.Release();
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException)
        {
            _pending.TryRemove(id, out _);
            Close(ex);
            throw ClosedError(command);
        }
        catch
        {
            _pending.TryRemove(id, out _);
            throw;
        }

        LogCommandSent(_logger, command, id);
        try
        {
            return await pending.Reply.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // A late reply finds no entry and is dropped.
            _pending.TryRemove(id, out _);
            throw;
        }
    }

    private static ReadOnlyMemory<byte> Serialize(string command, long id, Action<Utf8JsonWriter>? writeArguments)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("execute", command);
            if (writeArguments is not null)
            {
                writer.WritePropertyName("arguments");
                writeArguments(writer);
            }

            writer.WriteNumber("id", id);
            writer.WriteEndObject();
        }

        buffer.Write("\n"u8);
        return buffer.WrittenMemory;
    }

    private void Close(Exception reason)
    {
        if (Interlocked.Exchange(ref _closeStarted, 1) != 0)
        {
            return;
        }

        _closeReason = reason;
        LogClosed(_logger, reason.Message);
        _greeting.TrySetException(new QmpConnectionClosedException("QMP connection closed before QEMU's greeting", reason));
        foreach (var id in _pending.Keys)
        {
            if (_pending.TryRemove(id, out var pending))
            {
                pending.Reply.TrySetException(ClosedError(pending.Command));
            }
        }

        _events.Writer.TryComplete();
        try
        {
            // Wakes a sender blocked on a peer that stopped reading, and the receive loop.
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
        }

        _closed.TrySetResult();
    }

    private QmpConnectionClosedException ClosedError(string command)
    {
        var reason = _closeReason;
        var why = reason switch
        {
            ObjectDisposedException => "the QMP client was disposed",
            EndOfStreamException => "QEMU closed the QMP connection",
            _ when IsReset(reason) => "QEMU closed the QMP connection (connection reset)",
            null => "the QMP connection is closed",
            _ => "the QMP connection failed: " + reason.Message,
        };
        return new QmpConnectionClosedException($"QMP command '{command}' did not complete: {why}", reason);
    }

    // A peer that exits with our command unread resets the connection instead of closing it.
    private static bool IsReset(Exception? error) =>
        (error as SocketException ?? error?.InnerException as SocketException)?.SocketErrorCode
            is SocketError.ConnectionReset or SocketError.ConnectionAborted or SocketError.Shutdown;

    private sealed class PendingCommand(string command)
    {
        public string Command { get; } = command;

        public TaskCompletionSource<JsonElement> Reply { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
