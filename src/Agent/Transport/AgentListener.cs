namespace Sealpod.Agent.Transport;

/// <summary>
/// Feeds host connections to the ttrpc server: every accepted vsock connection, and the sessions of
/// a virtio-serial port one after another (the port is one long-lived character device).
/// </summary>
internal sealed class AgentListener(TtrpcServer server, FdPoller poller, ILogger log)
{
    public async Task ServeVsockAsync(VsockListener listener, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(listener);
        while (!cancellationToken.IsCancellationRequested)
        {
            var connection = await listener.AcceptAsync(poller, cancellationToken).ConfigureAwait(false);
            log.LogInformation("host connected over vsock");
            _ = ServeQuietlyAsync(server.ServeConnectionAsync(connection, cancellationToken), "vsock");
        }
    }

    public async Task ServeSerialPortAsync(string path, CancellationToken cancellationToken)
    {
        var fd = LibC.Open(path, LibC.O_RDWR | LibC.O_NOCTTY | LibC.O_CLOEXEC | LibC.O_NONBLOCK, 0);
        if (fd < 0)
        {
            throw SystemCallException.FromLastError("open", path);
        }

        using var port = new VirtioSerialPort(poller.Register(fd));
        while (!cancellationToken.IsCancellationRequested)
        {
            await ServeQuietlyAsync(server.ServeConnectionAsync(port.OpenSession(), cancellationToken), path).ConfigureAwait(false);
            log.LogInformation("host session on {Port} ended", path);
        }
    }

    private async Task ServeQuietlyAsync(Task serving, string transport)
    {
        try
        {
            await serving.ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException)
        {
            log.LogDebug(e, "connection on {Transport} closed", transport);
        }
    }
}
