using Grpc.Core;

namespace Sealpod.Rpc.Grpc;

/// <summary>
/// Runs one unary call of a generated gRPC client with a timeout and metadata, and reports its failure the way
/// every Sealpod RPC fails: a <see cref="Sealpod.Rpc.RpcException"/> (mapped by GrpcErrors), or
/// <see cref="OperationCanceledException"/> when the caller's token ended it.
/// </summary>
/// <example>
/// <code>
/// BundleResponse bundle = await GrpcCalls.UnaryAsync(
///     "/keybroker.KeyBrokerService/GetBundle", options => client.GetBundleAsync(request, options), TimeSpan.FromSeconds(10), cancellationToken: ct);
/// </code>
/// </example>
public static class GrpcCalls
{
    /// <summary>Starts <paramref name="call"/> with the deadline and metadata given and returns its response.</summary>
    /// <param name="method">"/package.Service/Method", for error messages.</param>
    /// <param name="call">Starts the call with the options it is given, e.g. <c>o => client.GetBundleAsync(request, o)</c>.</param>
    /// <param name="timeout">Deadline of the call, sent as grpc-timeout; null means none.</param>
    /// <param name="headers">Metadata sent with the request.</param>
    /// <param name="cancellationToken">Cancels the call (the stream is reset, the server sees it cancelled).</param>
    /// <exception cref="Sealpod.Rpc.RpcException">The call failed; its status code says how.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static async Task<TResponse> UnaryAsync<TResponse>(
        string method,
        Func<CallOptions, AsyncUnaryCall<TResponse>> call,
        TimeSpan? timeout = null,
        Metadata? headers = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(method);
        ArgumentNullException.ThrowIfNull(call);
        cancellationToken.ThrowIfCancellationRequested();
        if (timeout <= TimeSpan.Zero)
        {
            throw new Sealpod.Rpc.RpcException(StatusCode.DeadlineExceeded, $"{method}: the deadline had passed before the call started.");
        }

        DateTime? deadline = timeout is { } limit ? DateTime.UtcNow + limit : null;
        try
        {
            using AsyncUnaryCall<TResponse> pending = call(new CallOptions(headers, deadline, cancellationToken));
            return await pending.ResponseAsync.ConfigureAwait(false);
        }
        catch (global::Grpc.Core.RpcException) when (cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException(cancellationToken);
        }
        catch (global::Grpc.Core.RpcException e)
        {
            throw GrpcErrors.ToRpcException(e, method, timeout, deadlinePassed: DateTime.UtcNow >= deadline);
        }
    }
}
