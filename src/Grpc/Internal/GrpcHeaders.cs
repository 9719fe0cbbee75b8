namespace Sealpod.Grpc.Internal;

/// <summary>Header names and values of the gRPC-over-HTTP/2 protocol.</summary>
internal static class GrpcHeaders
{
    public const string ContentType = "application/grpc";
    public const string Timeout = "grpc-timeout";
    public const string Status = "grpc-status";
    public const string Message = "grpc-message";
    public const string StatusDetails = "grpc-status-details-bin";
    public const string Encoding = "grpc-encoding";
    public const string BinarySuffix = "-bin";

    /// <summary>Headers the transport owns; they are neither sent as nor reported as metadata.</summary>
    public static bool IsReserved(string name) =>
        name.StartsWith("grpc-", StringComparison.Ordinal)
        || name.StartsWith(':')
        || name is "content-type" or "te" or "user-agent" or "host" or "connection"
            or "content-length" or "transfer-encoding" or "date" or "server";
}
