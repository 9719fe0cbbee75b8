using Sealpod.Rpc;

namespace Sealpod.Agent.Service;

/// <summary>The one place where agent errors become ttrpc status codes (containerd's errdefs mapping).</summary>
internal static class ErrorMapper
{
    public static RpcException ToRpc(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception switch
        {
            RpcException rpc => rpc,
            NotFoundException => new RpcException(StatusCode.NotFound, exception.Message, exception),
            AlreadyExistsException => new RpcException(StatusCode.AlreadyExists, exception.Message, exception),
            FailedPreconditionException => new RpcException(StatusCode.FailedPrecondition, exception.Message, exception),
            InvalidArgumentException => new RpcException(StatusCode.InvalidArgument, exception.Message, exception),
            PolicyException => new RpcException(StatusCode.InvalidArgument, exception.Message, exception),
            PermissionDeniedException => new RpcException(StatusCode.PermissionDenied, exception.Message, exception),
            // The image, the cause: the user reads this message in the CRI error unchanged.
            Images.ImagePullException => new RpcException(StatusCode.FailedPrecondition, exception.Message, exception),
            TimeoutException => new RpcException(StatusCode.DeadlineExceeded, exception.Message, exception),
            OperationCanceledException => new RpcException(StatusCode.Cancelled, exception.Message, exception),
            SystemCallException { Errno: LibC.ENOENT } => new RpcException(StatusCode.NotFound, exception.Message, exception),
            SystemCallException { Errno: LibC.EEXIST } => new RpcException(StatusCode.AlreadyExists, exception.Message, exception),
            SystemCallException { Errno: LibC.EINVAL } => new RpcException(StatusCode.InvalidArgument, exception.Message, exception),
            _ => new RpcException(StatusCode.Internal, exception.Message, exception),
        };
    }
}
