using Sealpod.Rpc;

namespace Sealpod.Runtime.Errors;

/// <summary>
/// The one place where an error becomes a status code (containerd's errgrpc). Everything below the task service
/// throws typed exceptions; the service asks this class what code and message to answer with. Errors the
/// runtime did not classify keep their message and become <see cref="StatusCode.Unknown"/>, never silently OK.
/// </summary>
public static class ErrorClassifier
{
    /// <summary>The status code containerd turns back into the matching errdefs kind.</summary>
    public static StatusCode ToStatusCode(Exception error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return error switch
        {
            NotFoundException => StatusCode.NotFound,
            AlreadyExistsException => StatusCode.AlreadyExists,
            FailedPreconditionException => StatusCode.FailedPrecondition,
            InvalidArgumentException => StatusCode.InvalidArgument,
            UnavailableException => StatusCode.Unavailable,
            UnimplementedException => StatusCode.Unimplemented,
            DeadlineExceededException => StatusCode.DeadlineExceeded,

            // Errors of the layers below, classified by what they mean to a caller.
            AgentUnreachableException => StatusCode.Unavailable,
            RpcException rpc => rpc.StatusCode == StatusCode.OK ? StatusCode.Unknown : rpc.StatusCode,
            ConfigurationException => StatusCode.InvalidArgument,
            HypervisorConfigurationException => StatusCode.InvalidArgument,
            TimeoutException => StatusCode.DeadlineExceeded,
            OperationCanceledException => StatusCode.Cancelled,
            NotSupportedException => StatusCode.Unimplemented,
            ArgumentException => StatusCode.InvalidArgument,
            _ => StatusCode.Unknown,
        };
    }

    /// <summary>The message to answer with: the error's own, plus the agent's when the guest refused the call.</summary>
    public static string ToMessage(Exception error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return error switch
        {
            RpcException rpc => $"guest agent: {rpc.Message}",
            _ => error.Message,
        };
    }

    /// <summary>Both at once, as an <see cref="RpcException"/> a ttrpc server answers with.</summary>
    public static RpcException ToRpcException(Exception error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return new RpcException(ToStatusCode(error), ToMessage(error), error);
    }
}
