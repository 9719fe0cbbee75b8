namespace Sealpod.Grpc;

/// <summary>A successful unary call: the response and the metadata that came with it.</summary>
public sealed class GrpcCallResult<TResponse>
{
    internal GrpcCallResult(TResponse response, GrpcMetadata headers, GrpcMetadata trailers)
    {
        Response = response;
        Headers = headers;
        Trailers = trailers;
    }

    public TResponse Response { get; }

    /// <summary>Response headers, less those the transport owns.</summary>
    public GrpcMetadata Headers { get; }

    /// <summary>Trailers, less grpc-status, grpc-message and grpc-status-details-bin.</summary>
    public GrpcMetadata Trailers { get; }
}
