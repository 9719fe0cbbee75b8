using System.Threading.Tasks.Sources;

namespace Sealpod.Rpc.Ttrpc;

/// <summary>A pending call that produces a <typeparamref name="T"/>, awaited through a <see cref="ValueTask{T}"/>.</summary>
internal abstract class PendingCall<T> : PendingCall, IValueTaskSource<T>
{
    private ManualResetValueTaskSourceCore<T> _core;

    protected PendingCall(bool runContinuationsAsynchronously)
    {
        _core.RunContinuationsAsynchronously = runContinuationsAsynchronously;
    }

    public ValueTask<T> Task => new(this, _core.Version);

    public sealed override void SetResponse(ReadOnlySpan<byte> payload)
    {
        T value;
        try
        {
            value = Decode(payload);
        }
        catch (InvalidProtocolBufferException e)
        {
            SetException(new RpcException(StatusCode.Internal, $"cannot parse the response payload: {e.Message}", e));
            return;
        }

        Finish();
        _core.SetResult(value);
    }

    public sealed override void SetException(Exception error)
    {
        Finish();
        _core.SetException(error);
    }

    public T GetResult(short token) => _core.GetResult(token);

    public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);

    protected abstract T Decode(ReadOnlySpan<byte> payload);
}
