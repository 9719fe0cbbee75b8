namespace Sealpod.Rpc;

/// <summary>
/// A call that ended with a non-OK <c>google.rpc.Status</c>, on either transport (ttrpc or gRPC).
/// Servers throw it to choose the status they answer with; clients receive it when the peer did.
/// </summary>
public class RpcException : Exception
{
    public RpcException(StatusCode statusCode, string message)
        : base(message)
    {
        StatusCode = statusCode;
    }

    public RpcException(StatusCode statusCode, string message, Exception? innerException)
        : base(message, innerException)
    {
        StatusCode = statusCode;
    }

    public StatusCode StatusCode { get; }

    /// <summary>The raw <c>google.protobuf.Any</c> details of the status, each as serialized bytes.</summary>
    public IReadOnlyList<ReadOnlyMemory<byte>> Details { get; init; } = [];

    public override string ToString() => $"{StatusCode} ({(int)StatusCode}): {Message}";
}
