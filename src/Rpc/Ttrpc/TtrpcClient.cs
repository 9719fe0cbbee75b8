using Sealpod.Linux.IO;

namespace Sealpod.Rpc.Ttrpc;

/// <summary>
/// A ttrpc client over one connection. Any number of calls may be in flight at once; each gets the next
/// odd stream id and its response is matched by that id, in whatever order responses arrive.
/// </summary>
public sealed class TtrpcClient : IAsyncDisposable
{
    private readonly TtrpcConnection _connection;
    private readonly TtrpcClientOptions _options;
    private readonly FrameHandler _frameHandler;

    // Guards the pending table and the stream id counter, and orders the queueing of requests so that
    // stream ids reach the wire in increasing order, which ttrpc 1.2 servers insist on.
    private readonly Lock _lock = new();
    private readonly Dictionary<uint, PendingCall> _pending = [];
    private uint _nextStreamId = 1;
    private bool _closed;
    private bool _disposed;
    private Exception? _closeReason;

    /// <summary>Starts a client over a connected duplex stream, which it then owns.</summary>
    public TtrpcClient(Stream stream, TtrpcClientOptions? options = null)
    {
        _options = options ?? new TtrpcClientOptions();
        _frameHandler = new FrameHandler(this);
        _connection = new TtrpcConnection(stream, _frameHandler);
        _connection.Start();
    }

    /// <summary>Starts a client over a connected socket (unix, vsock...), which it then owns.</summary>
    public TtrpcClient(Socket socket, TtrpcClientOptions? options = null)
        : this(new NetworkStream(socket ?? throw new ArgumentNullException(nameof(socket)), ownsSocket: true), options)
    {
    }

    /// <summary>Cancelled when the connection closes, whichever side closed it.</summary>
    public CancellationToken Closed => _connection.Closed;

    /// <summary>Connects to a ttrpc server listening on a unix socket path.</summary>
    public static async Task<TtrpcClient> ConnectUnixAsync(string path, TtrpcClientOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return new TtrpcClient(await UnixStreamSocket.ConnectAsync(path, cancellationToken).ConfigureAwait(false), options);
    }

    /// <summary>Calls a unary method with protobuf messages.</summary>
    /// <exception cref="RpcException">The server answered with a non-OK status, the call timed out
    /// (<see cref="StatusCode.DeadlineExceeded"/>) or the connection closed (<see cref="StatusCode.Unavailable"/>).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled; the connection stays usable.</exception>
    public ValueTask<TResponse> CallAsync<TRequest, TResponse>(
        string service,
        string method,
        TRequest request,
        MessageParser<TResponse> parser,
        TtrpcCallOptions? options = null,
        CancellationToken cancellationToken = default)
        where TRequest : IMessage
        where TResponse : IMessage<TResponse>
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(parser);
        var call = new MessagePendingCall<TResponse>(parser, _options.RunContinuationsAsynchronously);
        Start(call, service, method, TtrpcPayload.FromMessage(request), options, cancellationToken);
        return call.Task;
    }

    /// <summary>Calls a unary method with an already serialized request and returns the serialized response.</summary>
    public ValueTask<byte[]> CallAsync(
        string service,
        string method,
        ReadOnlyMemory<byte> request,
        TtrpcCallOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        var call = new BytesPendingCall(_options.RunContinuationsAsynchronously);
        Start(call, service, method, TtrpcPayload.FromBytes(request), options, cancellationToken);
        return call.Task;
    }

    /// <summary>Closes the connection; calls still pending fail at once with <see cref="StatusCode.Unavailable"/>.</summary>
    public async ValueTask DisposeAsync()
    {
        lock (_lock)
        {
            _disposed = true;
        }

        await _connection.DisposeAsync().ConfigureAwait(false);
    }

    internal bool TryRemovePending(PendingCall call)
    {
        lock (_lock)
        {
            return _pending.TryGetValue(call.StreamId, out PendingCall? found)
                && ReferenceEquals(found, call)
                && _pending.Remove(call.StreamId);
        }
    }

    private void Start(PendingCall call, string service, string method, in TtrpcPayload request, TtrpcCallOptions? options, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(service);
        ArgumentException.ThrowIfNullOrEmpty(method);
        cancellationToken.ThrowIfCancellationRequested();

        TimeSpan? timeout = options?.Timeout;
        long timeoutNano = 0;
        if (timeout is { } due)
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(due, TimeSpan.Zero, nameof(options));
            timeoutNano = due.Ticks > long.MaxValue / 100 ? long.MaxValue : due.Ticks * 100;
        }

        TtrpcMetadata? metadata = options?.Metadata;
        int length = TtrpcRequestEnvelope.GetLength(service, method, request.Length, timeoutNano, metadata);
        OutgoingFrame frame = OutgoingFrame.Rent(length);
        TtrpcRequestEnvelope.Write(frame.Payload, service, method, request, timeoutNano, metadata);

        lock (_lock)
        {
            Exception? refusal = _disposed
                ? new ObjectDisposedException(nameof(TtrpcClient))
                : _closed || _connection.IsClosed ? ClosedException(_closeReason)
                : _nextStreamId > uint.MaxValue - 2 ? new RpcException(StatusCode.ResourceExhausted, "the connection has used up its ttrpc stream ids")
                : null;
            if (refusal is not null)
            {
                frame.Return();
                throw refusal;
            }

            uint streamId = _nextStreamId;
            _nextStreamId += 2;
            frame.WriteHeader(streamId, TtrpcMessageType.Request, TtrpcFrameFlags.None);
            call.StreamId = streamId;
            _pending.Add(streamId, call);
            if (!_connection.TrySend(frame))
            {
                _pending.Remove(streamId);
                frame.Return();
                throw ClosedException(_closeReason);
            }
        }

        call.Arm(this, timeout, _options.TimeProvider, cancellationToken);
    }

    private static RpcException ClosedException(Exception? reason) =>
        new(StatusCode.Unavailable, "ttrpc: connection closed", reason);

    private PendingCall? TakePending(uint streamId)
    {
        lock (_lock)
        {
            return _pending.Remove(streamId, out PendingCall? call) ? call : null;
        }
    }

    private void OnResponse(in TtrpcFrameHeader header, in ReadOnlySequence<byte> payload)
    {
        // A response for a call that timed out or was cancelled arrives late: drop it.
        PendingCall? call = TakePending(header.StreamId);
        if (call is null)
        {
            return;
        }

        if (payload.IsSingleSegment)
        {
            Complete(call, payload.FirstSpan);
            return;
        }

        byte[] copy = ArrayPool<byte>.Shared.Rent((int)payload.Length);
        try
        {
            payload.CopyTo(copy);
            Complete(call, copy.AsSpan(0, (int)payload.Length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(copy);
        }
    }

    private static void Complete(PendingCall call, ReadOnlySpan<byte> envelopeBytes)
    {
        TtrpcResponseEnvelope envelope;
        try
        {
            envelope = TtrpcResponseEnvelope.Parse(envelopeBytes);
        }
        catch (InvalidDataException e)
        {
            call.SetException(new RpcException(StatusCode.Internal, $"ttrpc: malformed response: {e.Message}", e));
            return;
        }

        if (envelope.IsOk)
        {
            call.SetResponse(envelope.Payload);
        }
        else
        {
            call.SetException(envelope.ToException());
        }
    }

    private void OnOversizedResponse(in TtrpcFrameHeader header)
    {
        TakePending(header.StreamId)?.SetException(new RpcException(
            StatusCode.ResourceExhausted,
            $"message length {header.Length} exceeds maximum message size of {TtrpcProtocol.MaxPayloadLength}"));
    }

    private void OnClosed(Exception? error)
    {
        PendingCall[] orphans;
        lock (_lock)
        {
            _closed = true;
            _closeReason = error;
            orphans = [.. _pending.Values];
            _pending.Clear();
        }

        foreach (PendingCall call in orphans)
        {
            call.SetException(ClosedException(error));
        }
    }

    // Keeps the receive-loop callbacks off the public surface of the client.
    private sealed class FrameHandler(TtrpcClient client) : ITtrpcFrameHandler
    {
        public void OnFrame(in TtrpcFrameHeader header, in ReadOnlySequence<byte> payload)
        {
            // Servers only answer with Response frames on unary calls; anything else is ignored for
            // forward compatibility, as the Go client does.
            if (header.Type == TtrpcMessageType.Response)
            {
                client.OnResponse(header, payload);
            }
        }

        public void OnOversizedFrame(in TtrpcFrameHeader header) => client.OnOversizedResponse(header);

        public void OnClosed(Exception? error) => client.OnClosed(error);
    }
}
