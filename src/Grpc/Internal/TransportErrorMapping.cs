using System.Net.Http;
using System.Net.Sockets;
using Sealpod.Rpc;

namespace Sealpod.Grpc.Internal;

/// <summary>Turns transport failures into the status a gRPC client reports for them.</summary>
internal static class TransportErrorMapping
{
    // HTTP/2 error codes (RFC 9113 section 7) a peer may reset a stream or connection with.
    private const long RefusedStream = 0x7;
    private const long Cancel = 0x8;
    private const long EnhanceYourCalm = 0xB;
    private const long InadequateSecurity = 0xC;

    public static RpcException ToRpcException(Exception exception, string method)
    {
        StatusCode code = Classify(exception);
        return new RpcException(code, $"{method}: {Describe(exception)}", exception);
    }

    private static StatusCode Classify(Exception exception)
    {
        if (Find<HttpProtocolException>(exception) is { } protocol)
        {
            return protocol.ErrorCode switch
            {
                RefusedStream => StatusCode.Unavailable,
                Cancel => StatusCode.Cancelled,
                EnhanceYourCalm => StatusCode.ResourceExhausted,
                InadequateSecurity => StatusCode.PermissionDenied,
                _ => StatusCode.Internal,
            };
        }

        HttpRequestError? error = exception switch
        {
            HttpRequestException request => request.HttpRequestError,
            HttpIOException io => io.HttpRequestError,
            _ => Find<HttpIOException>(exception)?.HttpRequestError,
        };

        return error switch
        {
            HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError
                or HttpRequestError.SecureConnectionError or HttpRequestError.ResponseEnded
                or HttpRequestError.VersionNegotiationError => StatusCode.Unavailable,
            HttpRequestError.ConfigurationLimitExceeded => StatusCode.ResourceExhausted,
            HttpRequestError.InvalidResponse => StatusCode.Internal,
            _ when Find<SocketException>(exception) is not null => StatusCode.Unavailable,
            _ when exception is IOException => StatusCode.Unavailable,
            _ => StatusCode.Unknown,
        };
    }

    private static string Describe(Exception exception)
    {
        var messages = new List<string>();
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            if (messages.Count == 0 || !messages[^1].Contains(e.Message, StringComparison.Ordinal))
            {
                messages.Add(e.Message);
            }
        }

        return string.Join(" ", messages);
    }

    private static T? Find<T>(Exception exception)
        where T : Exception
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            if (e is T match)
            {
                return match;
            }
        }

        return null;
    }
}
