namespace Sealpod.Rpc.Ttrpc;

/// <summary>Registers the methods of one service on a <see cref="TtrpcServer"/>.</summary>
public sealed class TtrpcServiceBuilder
{
    private readonly Dictionary<string, TtrpcMethod> _methods;
    private readonly Func<bool> _isFrozen;

    internal TtrpcServiceBuilder(string name, Dictionary<string, TtrpcMethod> methods, Func<bool> isFrozen)
    {
        Name = name;
        _methods = methods;
        _isFrozen = isFrozen;
    }

    /// <summary>The fully qualified service name, e.g. <c>containerd.task.v2.Task</c>.</summary>
    public string Name { get; }

    /// <summary>Registers a handler that works on serialized messages.</summary>
    public TtrpcServiceBuilder AddUnary(string method, TtrpcUnaryHandler handler)
    {
        ArgumentException.ThrowIfNullOrEmpty(method);
        ArgumentNullException.ThrowIfNull(handler);
        if (_isFrozen())
        {
            throw new InvalidOperationException($"Cannot add method {Name}/{method}: the server is already serving.");
        }

        if (!_methods.TryAdd(method, new TtrpcMethod(Name, method, handler)))
        {
            throw new ArgumentException($"Method {Name}/{method} is already registered.", nameof(method));
        }

        return this;
    }

    /// <summary>
    /// Registers a handler that works on protobuf messages. A request that does not parse is answered
    /// with <see cref="StatusCode.InvalidArgument"/> without calling the handler.
    /// </summary>
    public TtrpcServiceBuilder AddUnary<TRequest, TResponse>(
        string method,
        MessageParser<TRequest> parser,
        Func<TRequest, TtrpcServerCallContext, ValueTask<TResponse>> handler)
        where TRequest : IMessage<TRequest>
        where TResponse : IMessage
    {
        ArgumentNullException.ThrowIfNull(parser);
        ArgumentNullException.ThrowIfNull(handler);
        return AddUnary(method, (request, context) =>
        {
            TRequest message;
            try
            {
                message = parser.ParseFrom(request.Span);
            }
            catch (InvalidProtocolBufferException e)
            {
                throw new RpcException(StatusCode.InvalidArgument, $"cannot parse the request of {context.Service}/{context.Method}: {e.Message}", e);
            }

            ValueTask<TResponse> response = handler(message, context);
            return response.IsCompletedSuccessfully
                ? new ValueTask<TtrpcPayload>(TtrpcPayload.FromMessage(response.Result))
                : AwaitResponse(response);
        });
    }

    private static async ValueTask<TtrpcPayload> AwaitResponse<TResponse>(ValueTask<TResponse> response)
        where TResponse : IMessage =>
        TtrpcPayload.FromMessage(await response.ConfigureAwait(false));
}
