using System.Globalization;

namespace Sealpod.Rpc.Grpc;

/// <summary>
/// The one place where a failed gRPC call (Grpc.Net.Client's <see cref="global::Grpc.Core.RpcException"/>) becomes
/// the project's <see cref="Sealpod.Rpc.RpcException"/>, with the same codes and messages on either transport:
/// <list type="bullet">
/// <item>a status the server sent keeps its code, its grpc-message as the message, and the serialized
/// <c>google.protobuf.Any</c> details of grpc-status-details-bin;</item>
/// <item>a deadline that ran out on this side is DeadlineExceeded, "method: deadline exceeded after N ms.";</item>
/// <item>a failure on this side (refused connection or missing socket: Unavailable; reset stream; a response
/// that does not parse: Internal) is "method: what went wrong", with the cause as the inner exception.</item>
/// </list>
/// </summary>
internal static class GrpcErrors
{
    /// <summary>Maps <paramref name="error"/>, raised by a call of <paramref name="method"/> made with <paramref name="timeout"/>.</summary>
    /// <param name="deadlinePassed">Whether the call's deadline had passed on this side when it failed.</param>
    public static Sealpod.Rpc.RpcException ToRpcException(
        global::Grpc.Core.RpcException error, string method, TimeSpan? timeout, bool deadlinePassed)
    {
        ArgumentNullException.ThrowIfNull(error);
        StatusCode code = ToStatusCode(error.StatusCode);
        if (code == StatusCode.DeadlineExceeded && deadlinePassed && timeout is { } limit)
        {
            return new Sealpod.Rpc.RpcException(
                code,
                $"{method}: deadline exceeded after {limit.TotalMilliseconds.ToString(CultureInfo.InvariantCulture)} ms.",
                error);
        }

        // Grpc.Net.Client keeps the exception behind a status it made up itself; a server's status has none.
        if (error.Status.DebugException is { } cause)
        {
            // gRPC's rule for a response that does not parse (Grpc.Net.Client 2.85 reports Unavailable).
            if (Find<InvalidProtocolBufferException>(cause) is not null)
            {
                code = StatusCode.Internal;
            }

            return new Sealpod.Rpc.RpcException(code, $"{method}: {Describe(cause)}", cause);
        }

        return new Sealpod.Rpc.RpcException(code, error.Status.Detail)
        {
            Details = GrpcStatusDetails.Parse(error.Trailers.GetValueBytes(GrpcStatusDetails.TrailerName)),
        };
    }

    /// <summary>gRPC's codes are google.rpc.Code, as ours are; a number outside them is Unknown.</summary>
    public static StatusCode ToStatusCode(global::Grpc.Core.StatusCode code) =>
        Enum.IsDefined((StatusCode)(int)code) ? (StatusCode)(int)code : StatusCode.Unknown;

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
}
