namespace Sealpod.Rpc.Ttrpc;

/// <summary>
/// Serves one unary call. <paramref name="request"/> is the serialized request message and stays valid
/// until the returned task completes. Throw <see cref="RpcException"/> to answer with a given status.
/// </summary>
public delegate ValueTask<TtrpcPayload> TtrpcUnaryHandler(ReadOnlyMemory<byte> request, TtrpcServerCallContext context);
