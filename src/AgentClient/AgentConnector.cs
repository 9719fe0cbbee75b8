using Microsoft.Extensions.Logging;
using Sealpod.AgentClient.Kata;
using Sealpod.AgentClient.Transport;
using Sealpod.Rpc;

namespace Sealpod.AgentClient;

/// <summary>
/// Dials the guest agent until it answers a health check or <see cref="AgentConnectOptions.DialTimeout"/>
/// runs out. Transports that refuse while nothing listens (vsock, hybrid vsock) are re-dialled; a
/// virtio-serial port accepts at once and holds the request until the agent opens its end, so there
/// one check waits for the rest of the budget.
/// </summary>
public static class AgentConnector
{
    public static async Task<IAgent> ConnectAsync(AgentConnectOptions options, ILogger logger, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        var time = options.TimeProvider;
        long started = time.GetTimestamp();
        TimeSpan Remaining() => options.DialTimeout - time.GetElapsedTime(started);
        var delay = options.RetryDelay;
        Exception? lastError = null;
        int attempts = 0;

        while (Remaining() > TimeSpan.Zero)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (options.VmExited is { IsCompleted: true } exited)
            {
                throw new AgentUnreachableException(
                    $"the VM exited before the agent at {options.Endpoint} answered: {await exited.ConfigureAwait(false)}{ConsoleTail(options)}", lastError);
            }

            attempts++;
            Stream? stream = null;
            try
            {
                stream = await AgentDialer.ConnectOnceAsync(options.Endpoint, cancellationToken).ConfigureAwait(false);
                var ttrpc = new TtrpcClient(stream);
                stream = null;
                var client = new KataAgent(ttrpc, options);
                try
                {
                    var checkTimeout = options.Endpoint is SerialEndpoint ? Remaining() : Min(Remaining(), TimeSpan.FromSeconds(5));
                    var health = await client.CheckAsync(checkTimeout, cancellationToken).ConfigureAwait(false);
                    if (health == AgentHealth.Serving)
                    {
                        logger.LogInformation("agent at {Endpoint} answered after {Attempts} attempt(s) in {Ms} ms", options.Endpoint, attempts, (long)time.GetElapsedTime(started).TotalMilliseconds);
                        return client;
                    }

                    lastError = new InvalidOperationException($"agent health is {health}");
                }
                catch
                {
                    await client.DisposeAsync().ConfigureAwait(false);
                    throw;
                }

                await client.DisposeAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or RpcException or AgentUnreachableException)
            {
                lastError = e;
                logger.LogDebug("agent at {Endpoint} not ready (attempt {Attempt}): {Error}", options.Endpoint, attempts, e.Message);
            }
            finally
            {
                if (stream is not null)
                {
                    await stream.DisposeAsync().ConfigureAwait(false);
                }
            }

            var wait = Min(delay, Remaining());
            if (wait > TimeSpan.Zero)
            {
                await WaitAsync(wait, options.VmExited, time, cancellationToken).ConfigureAwait(false);
            }

            delay = Min(delay * 2, TimeSpan.FromSeconds(1));
        }

        throw new AgentUnreachableException(
            $"agent did not answer within {options.DialTimeout.TotalSeconds:0.#} s at {options.Endpoint} ({attempts} attempt(s); last error: {lastError?.Message ?? "none"}){ConsoleTail(options)}",
            lastError);
    }

    internal static string ConsoleTail(AgentConnectOptions options)
    {
        string tail = options.ConsoleTail?.Invoke() ?? string.Empty;
        return string.IsNullOrWhiteSpace(tail) ? "; guest console is empty" : $"; guest console tail:\n{tail.TrimEnd()}";
    }

    private static async Task WaitAsync(TimeSpan wait, Task? vmExited, TimeProvider time, CancellationToken cancellationToken)
    {
        var delay = Task.Delay(wait, time, cancellationToken);
        if (vmExited is null)
        {
            await delay.ConfigureAwait(false);
            return;
        }

        await Task.WhenAny(delay, vmExited).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
