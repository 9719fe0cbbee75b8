using Sealpod.Linux.IO;

namespace Sealpod.AgentClient.Transport;

/// <summary>Opens one byte stream to the guest agent over the endpoint's transport.</summary>
public static class AgentDialer
{
    /// <summary>One connection attempt; callers retry (see <see cref="AgentConnector"/>).</summary>
    public static async Task<Stream> ConnectOnceAsync(AgentEndpoint endpoint, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        switch (endpoint)
        {
            case VsockEndpoint vsock:
            {
                var socket = await VsockConnector.ConnectAsync(vsock.ContextId, vsock.Port, cancellationToken).ConfigureAwait(false);
                return new NetworkStream(socket, ownsSocket: true);
            }

            case HybridVsockEndpoint hybrid:
            {
                var stream = await ConnectUnixAsync(hybrid.SocketPath, cancellationToken).ConfigureAwait(false);
                try
                {
                    await HybridVsockHandshake.PerformAsync(stream, hybrid.Port, cancellationToken).ConfigureAwait(false);
                    return stream;
                }
                catch
                {
                    await stream.DisposeAsync().ConfigureAwait(false);
                    throw;
                }
            }

            case SerialEndpoint serial:
                return await ConnectUnixAsync(serial.SocketPath, cancellationToken).ConfigureAwait(false);

            default:
                throw new ArgumentException($"unsupported agent endpoint {endpoint.GetType().Name}", nameof(endpoint));
        }
    }

    private static Task<Stream> ConnectUnixAsync(string path, CancellationToken cancellationToken) =>
        UnixStreamSocket.ConnectStreamAsync(path, cancellationToken);
}
