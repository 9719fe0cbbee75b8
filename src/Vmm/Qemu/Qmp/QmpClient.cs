using System.Buffers;
using System.Collections.Concurrent;
using System.IO.Pipelines;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

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
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

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
        _stopReceiving.Dispose();
        _sendLock.Dispose();
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

    private async Task ReceiveLoopAsync()
    {
        // Let ConnectAsync return to its caller before the first read.
        await Task.Yield();
        Exception? failure = null;
        try
        {
            while (true)
            {
                var result = await _reader.ReadAsync(_stopReceiving.Token).ConfigureAwait(false);
                var buffer = result.Buffer;
                while (TryReadLine(ref buffer, out var line))
                {
                    Dispatch(line);
                }

                if (buffer.Length > MaxMessageBytes)
                {
                    throw new InvalidDataException($"QMP message exceeds {MaxMessageBytes} bytes without a line end");
                }

                _reader.AdvanceTo(buffer.Start, buffer.End);
                if (result.IsCompleted || result.IsCanceled)
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (_stopReceiving.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            failure = ex;
        }
        finally
        {
            Close(failure ?? new EndOfStreamException("QEMU closed the QMP connection"));
        }
    }

    private static bool TryReadLine(ref ReadOnlySequence<byte> buffer, out ReadOnlySequence<byte> line)
    {
        var newline = buffer.PositionOf((byte)'\n');
        if (newline is null)
        {
            line = default;
            return false;
        }

        line = buffer.Slice(0, newline.Value);
        buffer = buffer.Slice(buffer.GetPosition(1, newline.Value));
        return true;
    }

    private void Dispatch(ReadOnlySequence<byte> line)
    {
        if (IsBlank(line))
        {
            return;
        }

        var reader = new Utf8JsonReader(line);
        using var document = JsonDocument.ParseValue(ref reader);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidDataException($"QMP message is not a JSON object: {root.ValueKind}");
        }

        if (root.TryGetProperty("event", out var eventName))
        {
            DispatchEvent(root, eventName.GetString() ?? string.Empty);
        }
        else if (root.TryGetProperty("return", out var returned))
        {
            Complete(root, pending => pending.Reply.TrySetResult(returned.Clone()));
        }
        else if (root.TryGetProperty("error", out var error))
        {
            var errorClass = error.TryGetProperty("class", out var c) ? c.GetString() ?? string.Empty : string.Empty;
            var description = error.TryGetProperty("desc", out var d) ? d.GetString() ?? string.Empty : string.Empty;
            Complete(root, pending => pending.Reply.TrySetException(new QmpException(pending.Command, errorClass, description)));
        }
        else if (root.TryGetProperty("QMP", out var greeting))
        {
            var parsed = greeting.Deserialize(QmpJsonContext.Default.QmpGreeting)
                ?? throw new InvalidDataException("QMP greeting is null");
            _greeting.TrySetResult(parsed);
        }
        else
        {
            LogUnknownMessage(_logger, root.GetRawText());
        }
    }

    private void DispatchEvent(JsonElement root, string name)
    {
        var data = root.TryGetProperty("data", out var d) ? d.Clone() : default;
        var timestamp = DateTimeOffset.UnixEpoch;
        if (root.TryGetProperty("timestamp", out var ts)
            && ts.TryGetProperty("seconds", out var seconds)
            && ts.TryGetProperty("microseconds", out var micros))
        {
            timestamp = DateTimeOffset.FromUnixTimeSeconds(seconds.GetInt64()).AddTicks(micros.GetInt64() * 10);
        }

        LogEvent(_logger, name);
        _events.Writer.TryWrite(new QmpEvent(name, data, timestamp));
    }

    private void Complete(JsonElement root, Action<PendingCommand> complete)
    {
        // Replies without our numeric id answer something we never sent (QEMU reports JSON
        // syntax errors that way); there is nobody to give them to.
        if (root.TryGetProperty("id", out var idElement)
            && idElement.ValueKind == JsonValueKind.Number
            && idElement.TryGetInt64(out var id)
            && _pending.TryRemove(id, out var pending))
        {
            complete(pending);
            return;
        }

        LogUnmatchedReply(_logger, root.GetRawText());
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

    private static bool IsBlank(ReadOnlySequence<byte> line)
    {
        foreach (var segment in line)
        {
            foreach (var b in segment.Span)
            {
                if (b is not ((byte)' ' or (byte)'\r' or (byte)'\t'))
                {
                    return false;
                }
            }
        }

        return true;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "QMP greeting: QEMU {Version}, capabilities [{Capabilities}]")]
    private static partial void LogGreeting(ILogger logger, string version, string capabilities);

    [LoggerMessage(Level = LogLevel.Debug, Message = "QMP -> {Command} (id {Id})")]
    private static partial void LogCommandSent(ILogger logger, string command, long id);

    [LoggerMessage(Level = LogLevel.Debug, Message = "QMP event {Name}")]
    private static partial void LogEvent(ILogger logger, string name);

    [LoggerMessage(Level = LogLevel.Debug, Message = "QMP reply matches no pending command: {Message}")]
    private static partial void LogUnmatchedReply(ILogger logger, string message);

    [LoggerMessage(Level = LogLevel.Warning, Message = "QMP message of unknown shape ignored: {Message}")]
    private static partial void LogUnknownMessage(ILogger logger, string message);

    [LoggerMessage(Level = LogLevel.Debug, Message = "QMP connection closed: {Reason}")]
    private static partial void LogClosed(ILogger logger, string reason);

    private sealed class PendingCommand(string command)
    {
        public string Command { get; } = command;

        public TaskCompletionSource<JsonElement> Reply { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
