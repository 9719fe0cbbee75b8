namespace Sealpod.Rpc.Ttrpc;

/// <summary>
/// A client call waiting for its response. Exactly one party completes it: whoever removes it from the
/// client's table of pending calls (the receive loop, the deadline timer, the caller's token, or close).
/// </summary>
internal abstract class PendingCall
{
    private TtrpcClient? _client;
    private ITimer? _deadlineTimer;
    private CancellationTokenRegistration _cancellation;
    private CancellationToken _cancellationToken;
    private TimeSpan _timeout;
    private int _finished;

    public uint StreamId { get; set; }

    /// <summary>Called by the receive loop with the payload of a successful response.</summary>
    public abstract void SetResponse(ReadOnlySpan<byte> payload);

    public abstract void SetException(Exception error);

    /// <summary>Starts the deadline timer and watches the caller's token, once the call is registered.</summary>
    public void Arm(TtrpcClient client, TimeSpan? timeout, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        _client = client;
        if (timeout is { } due && due <= TtrpcProtocol.MaxTimerDuration)
        {
            _timeout = due;
            _deadlineTimer = timeProvider.CreateTimer(static state => ((PendingCall)state!).OnDeadline(), this, due, Timeout.InfiniteTimeSpan);
        }

        if (cancellationToken.CanBeCanceled)
        {
            _cancellationToken = cancellationToken;
            _cancellation = cancellationToken.UnsafeRegister(static state => ((PendingCall)state!).OnCancelled(), this);
        }

        // The response may have raced ahead of the arming; then nobody else will release these.
        // The fence pairs with the exchange in Finish so one of the two sides sees the other's write.
        Interlocked.MemoryBarrier();
        if (Volatile.Read(ref _finished) != 0)
        {
            Release();
        }
    }

    /// <summary>Marks the call finished and stops its timer and token watch.</summary>
    protected void Finish()
    {
        Interlocked.Exchange(ref _finished, 1);
        Release();
    }

    private void Release()
    {
        Interlocked.Exchange(ref _deadlineTimer, null)?.Dispose();
        _cancellation.Unregister();
    }

    private void OnDeadline()
    {
        if (_client is not null && _client.TryRemovePending(this))
        {
            SetException(new RpcException(StatusCode.DeadlineExceeded, $"ttrpc call timed out after {_timeout}"));
        }
    }

    private void OnCancelled()
    {
        if (_client is not null && _client.TryRemovePending(this))
        {
            SetException(new OperationCanceledException(_cancellationToken));
        }
    }
}
