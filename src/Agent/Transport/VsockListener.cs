namespace Sealpod.Agent.Transport;

/// <summary>
/// Listens on AF_VSOCK (any CID, the agent port 1024) and hands out accepted connections as
/// streams. .NET sockets do not know the vsock family, so this goes through libc and the poller.
/// </summary>
internal sealed class VsockListener : IDisposable
{
    private readonly AsyncFd _listener;

    private VsockListener(AsyncFd listener, uint port)
    {
        _listener = listener;
        Port = port;
    }

    public uint Port { get; }

    /// <summary>Binds and listens; null (with the reason) when the guest has no usable vsock.</summary>
    public static unsafe VsockListener? TryListen(FdPoller poller, uint port, out string? failure)
    {
        ArgumentNullException.ThrowIfNull(poller);
        failure = null;
        var fd = LibC.Socket(LibC.AF_VSOCK, LibC.SOCK_STREAM | LibC.SOCK_CLOEXEC | LibC.SOCK_NONBLOCK, 0);
        if (fd < 0)
        {
            failure = SystemCallException.FromLastError("socket(AF_VSOCK)").Message;
            return null;
        }

        var address = new LibC.SockAddrVm { Family = LibC.AF_VSOCK, Port = port, Cid = LibC.VMADDR_CID_ANY };
        if (LibC.Bind(fd, &address, (uint)sizeof(LibC.SockAddrVm)) != 0 || LibC.Listen(fd, 16) != 0)
        {
            failure = SystemCallException.FromLastError("bind/listen vsock", $"port {port}").Message;
            LibC.Close(fd);
            return null;
        }

        return new VsockListener(poller.Register(fd), port);
    }

    /// <summary>Waits for the next connection; its descriptor is registered with <paramref name="poller"/>.</summary>
    public async Task<Stream> AcceptAsync(FdPoller poller, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(poller);
        while (true)
        {
            var accepted = _listener.WithDescriptor(Accept);
            if (accepted >= 0)
            {
                return new FdStream(poller.Register(accepted));
            }

            var error = Marshal.GetLastPInvokeError();
            if (error != LibC.EAGAIN && error != LibC.EINTR)
            {
                throw new SystemCallException("accept4", error, $"vsock port {Port}");
            }

            await _listener.WaitReadableAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public void Dispose() => _listener.Dispose();

    private static unsafe int Accept(int fd) => LibC.Accept4(fd, null, null, LibC.SOCK_CLOEXEC | LibC.SOCK_NONBLOCK);
}
