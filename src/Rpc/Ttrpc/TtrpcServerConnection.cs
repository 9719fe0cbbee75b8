namespace Sealpod.Rpc.Ttrpc;

/// <summary>The server side of one connection: validates incoming frames and dispatches requests.</summary>
internal sealed class TtrpcServerConnection : ITtrpcFrameHandler, IAsyncDisposable
{
    private readonly TtrpcServer _server;
    private readonly TtrpcConnection _connection;
    private uint _lastStreamId;

    public TtrpcServerConnection(TtrpcServer server, Stream stream, UnixPeerCredentials? peer)
    {
        _server = server;
        PeerCredentials = peer;
        _connection = new TtrpcConnection(stream, this);
    }

    public UnixPeerCredentials? PeerCredentials { get; }

    public CancellationToken Closed => _connection.Closed;

    public bool IsClosed => _connection.IsClosed;

    public TimeProvider TimeProvider => _server.Options.TimeProvider;

    public ILogger Logger => _server.Options.Logger;

    public Task Completion => _connection.Completion;

    public void Start() => _connection.Start();

    public void Close() => _connection.Close();

    public ValueTask DisposeAsync() => _connection.DisposeAsync();

    public void OnFrame(in TtrpcFrameHeader header, in ReadOnlySequence<byte> payload)
    {
        uint streamId = header.StreamId;
        if (streamId % 2 != 1)
        {
            SendResponse(streamId, StatusCode.InvalidArgument, "StreamID must be odd for client initiated streams", null, TtrpcPayload.Empty);
            return;
        }

        switch (header.Type)
        {
            case TtrpcMessageType.Request:
                if (streamId <= _lastStreamId)
                {
                    SendResponse(streamId, StatusCode.InvalidArgument, "StreamID cannot be re-used and must increment", null, TtrpcPayload.Empty);
                    return;
                }

                _lastStreamId = streamId;
                Dispatch(streamId, payload);
                break;

            case TtrpcMessageType.Data:
                // Only unary methods are served, so no stream is ever open for data.
                SendResponse(streamId, StatusCode.InvalidArgument, "StreamID is no longer active", null, TtrpcPayload.Empty);
                break;

            default:
                // Unknown frame types are ignored for forward compatibility, as the Go server does.
                break;
        }
    }

    public void OnOversizedFrame(in TtrpcFrameHeader header) =>
        SendResponse(
            header.StreamId,
            StatusCode.ResourceExhausted,
            $"message length {header.Length} exceeds maximum message size of {TtrpcProtocol.MaxPayloadLength}",
            null,
            TtrpcPayload.Empty);

    public void OnClosed(Exception? error)
    {
        if (error is not null)
        {
            Logger.LogDebug(error, "ttrpc server connection closed");
        }

        _server.OnConnectionClosed(this);
    }

    /// <summary>Queues a Response frame; one too large to send is replaced by a ResourceExhausted status.</summary>
    public void SendResponse(uint streamId, StatusCode code, string? message, IReadOnlyList<ReadOnlyMemory<byte>>? details, in TtrpcPayload payload)
    {
        int length = TtrpcResponseEnvelope.GetLength(code, message, details, payload.Length);
        if (length > TtrpcProtocol.MaxPayloadLength)
        {
            Logger.LogWarning("ttrpc response on stream {StreamId} is {Length} bytes, over the limit", streamId, length);
            SendResponse(
                streamId,
                StatusCode.ResourceExhausted,
                $"response message length {length} exceeds maximum message size of {TtrpcProtocol.MaxPayloadLength}",
                null,
                TtrpcPayload.Empty);
            return;
        }

        OutgoingFrame frame = OutgoingFrame.Rent(length);
        try
        {
            TtrpcResponseEnvelope.Write(frame.Payload, code, message, details, payload);
            frame.WriteHeader(streamId, TtrpcMessageType.Response, TtrpcFrameFlags.None);
        }
        catch
        {
            frame.Return();
            throw;
        }

        if (!_connection.TrySend(frame))
        {
            frame.Return();
        }
    }

    public void ReturnRequestBuffer(byte[] buffer) => ArrayPool<byte>.Shared.Return(buffer);

    private void Dispatch(uint streamId, in ReadOnlySequence<byte> payload)
    {
        // The request outlives the receive buffer, so it moves into a pooled array the call returns.
        int length = (int)payload.Length;
        byte[] buffer = ArrayPool<byte>.Shared.Rent(length);
        payload.CopyTo(buffer);

        TtrpcServerCall call;
        try
        {
            var envelope = TtrpcRequestEnvelope.Parse(buffer.AsSpan(0, length));
            if (!_server.TryResolve(envelope.ServiceUtf8, envelope.MethodUtf8, out TtrpcMethod? method, out string? error))
            {
                ReturnRequestBuffer(buffer);
                SendResponse(streamId, StatusCode.Unimplemented, error, null, TtrpcPayload.Empty);
                return;
            }

            TtrpcMetadata? metadata = envelope.MetadataCount == 0 ? null : envelope.ReadMetadata();
            call = new TtrpcServerCall(this, method, streamId, buffer, envelope.PayloadRange, envelope.TimeoutNano, metadata);
        }
        catch (InvalidDataException e)
        {
            ReturnRequestBuffer(buffer);
            SendResponse(streamId, StatusCode.InvalidArgument, $"unmarshal request error: {e.Message}", null, TtrpcPayload.Empty);
            return;
        }

        ThreadPool.UnsafeQueueUserWorkItem(call, preferLocal: false);
    }
}
