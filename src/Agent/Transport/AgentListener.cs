using Microsoft.Extensions.Logging;
using Sealpod.Agent.IO;
using Sealpod.Linux.IO;
using Sealpod.Linux.Native;
using Sealpod.Rpc.Ttrpc;

namespace Sealpod.Agent.Transport;

/// <summary>
/// Feeds host connections to the ttrpc server: every accepted vsock connection, and the sessions of
/// a virtio-serial port one after another (the port is one long-lived character device).
/// </summary>
internal sealed class AgentListener
{
    private readonly TtrpcServer _server;
    private readonly FdPoller _poller;
    private readonly ILogger _log;

    public AgentListener(TtrpcServer server, FdPoller poller, ILogger log)
    {
        _server = server;
        _poller = poller;
        _log = log;
    }

    public async Task ServeVsockAsync(VsockListener listener, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(listener);
        while (!cancellationToken.IsCancellationRequested)
        {
            var connection = await listener.AcceptAsync(_poller, cancellationToken).ConfigureAwait(false);
            _log.LogInformation("host connected over vsock");
            _ = ServeQuietlyAsync(_server.ServeConnectionAsync(connection, cancellationToken), "vsock");
        }
    }

    public async Task ServeSerialPortAsync(string path, CancellationToken cancellationToken)
    {
        var fd = LibC.Open(path, LibC.O_RDWR | LibC.O_NOCTTY | LibC.O_CLOEXEC | LibC.O_NONBLOCK, 0);
        if (fd < 0)
        {
            throw SystemCallException.FromLastError("open", path);
        }

        using var port = new VirtioSerialPort(_poller.Register(fd));
        while (!cancellationToken.IsCancellationRequested)
        {
            await ServeQuietlyAsync(_server.ServeConnectionAsync(port.OpenSession(), cancellationToken), path).ConfigureAwait(false);
            _log.LogInformation("host session on {Port} ended", path);
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
            _log.LogDebug(e, "connection on {Transport} closed", transport);
        }
    }
}
