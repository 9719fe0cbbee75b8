using System.Runtime.InteropServices;
using Sealpod.Linux.Native;

namespace Sealpod.AgentClient.Transport;

/// <summary>Opens an AF_VSOCK stream to (context id, port) and returns it as an ordinary <see cref="Socket"/>.</summary>
public static class VsockConnector
{
    /// <exception cref="SocketException">The peer refused or could not be reached (the native errno is kept).</exception>
    public static async Task<Socket> ConnectAsync(uint contextId, uint port, CancellationToken cancellationToken = default)
    {
        int fd = LibC.Socket(LibC.AF_VSOCK, LibC.SOCK_STREAM | LibC.SOCK_NONBLOCK | LibC.SOCK_CLOEXEC, 0);
        if (fd < 0)
        {
            throw new SocketException(Marshal.GetLastPInvokeError());
        }

        try
        {
            int error = StartConnect(fd, contextId, port);
            if (error == LibC.EINPROGRESS)
            {
                error = await WaitConnectedAsync(fd, cancellationToken).ConfigureAwait(false);
            }

            if (error != 0)
            {
                throw new SocketException(error);
            }

            var socket = new Socket(new SafeSocketHandle(fd, ownsHandle: true));
            fd = -1;
            return socket;
        }
        finally
        {
            if (fd >= 0)
            {
                _ = LibC.Close(fd);
            }
        }
    }

    private static unsafe int StartConnect(int fd, uint contextId, uint port)
    {
        var address = new LibC.SockAddrVm { Family = LibC.AF_VSOCK, Port = port, Cid = contextId };
        return LibC.Connect(fd, &address, (uint)sizeof(LibC.SockAddrVm)) == 0 ? 0 : Marshal.GetLastPInvokeError();
    }

    // A non-blocking connect completes when the socket becomes writable; SO_ERROR then says how.
    // Polling in short slices keeps cancellation prompt without a thread parked in connect(2).
    private static async Task<int> WaitConnectedAsync(int fd, CancellationToken cancellationToken)
    {
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int ready = PollWritable(fd, 0);
            if (ready < 0)
            {
                return Marshal.GetLastPInvokeError();
            }

            if (ready > 0)
            {
                return SocketError(fd);
            }

            await Task.Delay(10, cancellationToken).ConfigureAwait(false);
        }
    }

    private static unsafe int PollWritable(int fd, int timeoutMs)
    {
        var pfd = new LibC.PollFd { Fd = fd, Events = LibC.POLLOUT };
        int rc;
        do
        {
            rc = LibC.Poll(&pfd, 1, timeoutMs);
        }
        while (rc < 0 && Marshal.GetLastPInvokeError() == LibC.EINTR);
        return rc;
    }

    private static unsafe int SocketError(int fd)
    {
        int value = 0;
        uint length = sizeof(int);
        return LibC.GetSockOpt(fd, LibC.SOL_SOCKET, LibC.SO_ERROR, &value, &length) == 0
            ? value
            : Marshal.GetLastPInvokeError();
    }
}
