namespace Sealpod.Linux.IO;

/// <summary>
/// Connecting a stream socket to a unix socket path, the one way every client here (ttrpc, gRPC, the agent dialer,
/// QMP, the Cloud Hypervisor API) does it: a socket that fails to connect is closed before the error goes up.
/// </summary>
public static class UnixStreamSocket
{
    /// <summary>Connects to <paramref name="path"/>; the caller owns the connected socket.</summary>
    public static async Task<Socket> ConnectAsync(string path, CancellationToken cancellationToken)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), cancellationToken).ConfigureAwait(false);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Connects to <paramref name="path"/> and returns the connection as a stream that owns the socket.</summary>
    public static async Task<Stream> ConnectStreamAsync(string path, CancellationToken cancellationToken) =>
        new NetworkStream(await ConnectAsync(path, cancellationToken).ConfigureAwait(false), ownsSocket: true);
}
