using System.Buffers.Binary;

namespace Sealpod.Runtime.Network.PortForward;

/// <summary>
/// CRI's PortForward for a VM pod. containerd serves it itself: it enters the pod's network namespace and dials
/// localhost:PORT there, where under the tcfilter model nothing listens (the workload is in the guest). So the shim
/// keeps, in that namespace, a listener on 127.0.0.1 that <see cref="LoopbackRedirect"/> sends every loopback TCP
/// connection to; for each one it reads the port asked for (SO_ORIGINAL_DST) and relays the bytes to the guest's
/// <see cref="PortForwardLink.GuestAddress"/>:PORT over the private link, half-closes passed on. Disposing stops the
/// listener, ends the relays and removes the rules; the link's tap goes with the VM.
/// </summary>
public sealed partial class PortForwarder : IAsyncDisposable
{
    // linux/netfilter_ipv4.h: getsockopt(SOL_IP, SO_ORIGINAL_DST) gives the destination before nat.
    private const int SolIp = 0;
    private const int SoOriginalDst = 80;

    private readonly string _namespacePath;
    private readonly Socket _listener;
    private readonly PortForwardLink _link;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _acceptLoop;
    private int _disposed;

    private PortForwarder(string namespacePath, Socket listener, PortForwardLink link, ILogger logger)
    {
        _namespacePath = namespacePath;
        _listener = listener;
        _link = link;
        _logger = logger;
        _acceptLoop = AcceptLoopAsync(_stop.Token);
    }

    public PortForwardLink Link => _link;

    /// <summary>The listener's port on 127.0.0.1 in the pod's namespace.</summary>
    public int ListenerPort => ((IPEndPoint)_listener.LocalEndPoint!).Port;

    /// <summary>Makes the link, the listener and the rules in the namespace at <paramref name="namespacePath"/>; on failure nothing stays.</summary>
    public static async Task<PortForwarder> StartAsync(string namespacePath, ILogger logger, CancellationToken cancellationToken)
    {
        var link = await PortForwardLink.CreateAsync(namespacePath, cancellationToken).ConfigureAwait(false);
        Socket? listener = null;
        try
        {
            listener = await NetworkNamespace.RunAsync(namespacePath, () =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                try
                {
                    socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
                    socket.Listen(64);
                    return socket;
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            }, cancellationToken).ConfigureAwait(false);
            await LoopbackRedirect.InstallAsync(namespacePath, ((IPEndPoint)listener.LocalEndPoint!).Port, cancellationToken).ConfigureAwait(false);
            return new PortForwarder(namespacePath, listener, link, logger);
        }
        catch
        {
            listener?.Dispose();
            link.Dispose();
            await LoopbackRedirect.RemoveAsync(namespacePath, CancellationToken.None).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Closes this process's tap descriptor once the hypervisor holds its own.</summary>
    public void ReleaseDescriptors() => _link.Dispose();

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Dispose();
        await _acceptLoop.ConfigureAwait(false);
        _link.Dispose();
        await LoopbackRedirect.RemoveAsync(_namespacePath, CancellationToken.None).ConfigureAwait(false);
        _stop.Dispose();
    }

    private async Task AcceptLoopAsync(CancellationToken cancellationToken)
    {
        var relays = new List<Task>();
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var client = await _listener.AcceptAsync(cancellationToken).ConfigureAwait(false);
                relays.RemoveAll(relay => relay.IsCompleted);
                relays.Add(RelayAsync(client, cancellationToken));
            }
        }
        catch (Exception error) when (error is OperationCanceledException or ObjectDisposedException || (error is SocketException && cancellationToken.IsCancellationRequested))
        {
            // Stopping.
        }

        await Task.WhenAll(relays).ConfigureAwait(false);
    }

    private async Task RelayAsync(Socket client, CancellationToken cancellationToken)
    {
        int port = 0;
        using (client)
        {
            try
            {
                port = OriginalPort(client);
                using var guest = await NetworkNamespace.RunAsync(_namespacePath, () => new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp), cancellationToken).ConfigureAwait(false);
                await guest.ConnectAsync(new IPEndPoint(PortForwardLink.GuestAddress, port), cancellationToken).ConfigureAwait(false);
                LogRelayOpened(_logger, port);
                await Task.WhenAll(PumpAsync(client, guest, cancellationToken), PumpAsync(guest, client, cancellationToken)).ConfigureAwait(false);
            }
            catch (Exception error) when (error is SocketException or IOException or OperationCanceledException or ObjectDisposedException or InvalidOperationException)
            {
                // The peer that is still there sees its connection close, as with a refused dial in a runc pod.
                LogRelayEnded(_logger, port, error.Message);
            }
        }
    }

    // One direction; its end becomes a half-close on the other side, so request/response protocols finish.
    private static async Task PumpAsync(Socket from, Socket to, CancellationToken cancellationToken)
    {
        var buffer = new byte[16 * 1024];
        while (true)
        {
            int read = await from.ReceiveAsync(buffer, SocketFlags.None, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                to.Shutdown(SocketShutdown.Send);
                return;
            }

            int sent = 0;
            while (sent < read)
            {
                sent += await to.SendAsync(buffer.AsMemory(sent, read - sent), SocketFlags.None, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>The port the connection was made to before the redirect (struct sockaddr_in: family, port big-endian, address).</summary>
    private static int OriginalPort(Socket socket)
    {
        Span<byte> address = stackalloc byte[16];
        int length = socket.GetRawSocketOption(SolIp, SoOriginalDst, address);
        if (length < 8)
        {
            throw new InvalidOperationException($"SO_ORIGINAL_DST returned {length} bytes; expected a sockaddr_in");
        }

        return BinaryPrimitives.ReadUInt16BigEndian(address[2..4]);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "port-forward: relaying to the guest's port {Port}")]
    private static partial void LogRelayOpened(ILogger logger, int port);

    [LoggerMessage(Level = LogLevel.Debug, Message = "port-forward to the guest's port {Port} ended: {Reason}")]
    private static partial void LogRelayEnded(ILogger logger, int port, string reason);
}
