namespace Sealpod.Rpc.Ttrpc;

/// <summary>
/// One request being served: queued to the thread pool by the receive loop (so a slow handler never
/// holds up the connection), it runs the handler and queues the response.
/// </summary>
internal sealed class TtrpcServerCall : IThreadPoolWorkItem
{
    private readonly TtrpcServerConnection _connection;
    private readonly TtrpcMethod _method;
    private readonly byte[] _buffer;
    private readonly ReadOnlyMemory<byte> _request;
    private readonly TtrpcServerCallContext _context;
    private readonly CancellationTokenSource? _deadline;
    private readonly CancellationTokenRegistration _closeRegistration;

    public TtrpcServerCall(
        TtrpcServerConnection connection,
        TtrpcMethod method,
        uint streamId,
        byte[] buffer,
        Range request,
        long timeoutNano,
        TtrpcMetadata? metadata)
    {
        _connection = connection;
        _method = method;
        _buffer = buffer;
        _request = buffer.AsMemory()[request];

        CancellationToken token = connection.Closed;
        DateTimeOffset? deadline = null;
        if (timeoutNano != 0)
        {
            // Go runs the handler under context.WithTimeout(timeout_nano): a negative timeout is already expired.
            TimeProvider time = connection.TimeProvider;
            TimeSpan timeout = TimeSpan.FromTicks(Math.Max(0, timeoutNano / 100));
            DateTimeOffset now = time.GetUtcNow();
            deadline = timeout < DateTimeOffset.MaxValue - now ? now + timeout : DateTimeOffset.MaxValue;
            if (timeout <= TtrpcProtocol.MaxTimerDuration)
            {
                _deadline = new CancellationTokenSource(timeout, time);
                _closeRegistration = token.UnsafeRegister(static state => ((CancellationTokenSource)state!).Cancel(), _deadline);
                token = _deadline.Token;
            }
        }

        _context = new TtrpcServerCallContext
        {
            Service = method.Service,
            Method = method.Name,
            StreamId = streamId,
            Metadata = metadata!, // null when none was sent: the context answers an empty one
            Deadline = deadline,
            PeerCredentials = connection.PeerCredentials,
            CancellationToken = token,
        };
    }

    public void Execute()
    {
        ValueTask<TtrpcPayload> response;
        try
        {
            response = _method.Handler(_request, _context);
        }
        catch (Exception e)
        {
            Fail(e);
            return;
        }

        if (response.IsCompletedSuccessfully)
        {
            Succeed(response.Result);
        }
        else
        {
            _ = AwaitAsync(response);
        }
    }

    private async Task AwaitAsync(ValueTask<TtrpcPayload> response)
    {
        TtrpcPayload payload;
        try
        {
            payload = await response.ConfigureAwait(false);
        }
        catch (Exception e)
        {
            Fail(e);
            return;
        }

        Succeed(payload);
    }

    private void Succeed(in TtrpcPayload payload)
    {
        try
        {
            _connection.SendResponse(_context.StreamId, StatusCode.OK, null, null, payload);
        }
        finally
        {
            Release();
        }
    }

    private void Fail(Exception error)
    {
        try
        {
            if (_connection.IsClosed)
            {
                // Nobody is left to answer; the handler most likely saw the connection's cancellation.
                return;
            }

            (StatusCode code, string message, IReadOnlyList<ReadOnlyMemory<byte>>? details) = Map(error);
            if (code == StatusCode.Unknown)
            {
                _connection.Logger.LogWarning(error, "ttrpc handler {Service}/{Method} failed", _method.Service, _method.Name);
            }

            _connection.SendResponse(_context.StreamId, code, message, details, TtrpcPayload.Empty);
        }
        finally
        {
            Release();
        }
    }

    private (StatusCode Code, string Message, IReadOnlyList<ReadOnlyMemory<byte>>? Details) Map(Exception error) => error switch
    {
        RpcException { StatusCode: not StatusCode.OK } rpc => (rpc.StatusCode, rpc.Message, rpc.Details),
        OperationCanceledException when _deadline is { IsCancellationRequested: true } => (StatusCode.DeadlineExceeded, "context deadline exceeded", null),
        OperationCanceledException canceled => (StatusCode.Cancelled, canceled.Message, null),
        _ => (StatusCode.Unknown, error.Message, null),
    };

    private void Release()
    {
        _closeRegistration.Dispose();
        _deadline?.Dispose();
        _connection.ReturnRequestBuffer(_buffer);
    }
}
