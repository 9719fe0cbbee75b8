using Sealpod.Rpc;

namespace Sealpod.AgentClient.Kata;

internal sealed partial class KataAgent
{
    private static readonly TimeSpan VmExitGrace = TimeSpan.FromSeconds(1);

    /// <summary>One unary call; a call that fails because the VM died says so, with the guest console's tail.</summary>
    private async Task<TResponse> CallAsync<TRequest, TResponse>(
        string service,
        string method,
        TRequest request,
        MessageParser<TResponse> parser,
        TimeSpan? timeout,
        CancellationToken cancellationToken)
        where TRequest : IMessage
        where TResponse : IMessage<TResponse>
    {
        var callOptions = timeout is null ? null : new TtrpcCallOptions { Timeout = timeout };
        var call = _client.CallAsync(service, method, request, parser, callOptions, cancellationToken).AsTask();
        try
        {
            if (_options.VmExited is not { } vmExited)
            {
                return await call.ConfigureAwait(false);
            }

            // The transport can outlive the VM for a moment (a socket QEMU held may take time to close),
            // so the VM's own exit fails the call as soon as it is known.
            var first = await Task.WhenAny(call, vmExited).ConfigureAwait(false);
            if (first == call || !vmExited.IsCompletedSuccessfully)
            {
                return await call.ConfigureAwait(false);
            }

            ObserveLater(call);
            throw new AgentUnreachableException($"{service}/{method} failed: the VM died ({vmExited.Result}){AgentConnector.ConsoleTail(_options)}");
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.Unavailable && _options.VmExited is { } vmExited)
        {
            // The agent's end of the connection usually closes a moment before the hypervisor's exit
            // is observed; give the exit a moment to arrive so the error says what really happened.
            await Task.WhenAny(vmExited, Task.Delay(VmExitGrace, _options.TimeProvider, CancellationToken.None)).ConfigureAwait(false);
            if (vmExited.IsCompletedSuccessfully)
            {
                throw new AgentUnreachableException($"{service}/{method} failed: the VM died ({vmExited.Result}){AgentConnector.ConsoleTail(_options)}", e);
            }

            throw new AgentUnreachableException($"{service}/{method} failed: the connection to the agent closed while the VM still runs{AgentConnector.ConsoleTail(_options)}", e);
        }
    }

    private static void ObserveLater(Task task) =>
        _ = task.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
}
