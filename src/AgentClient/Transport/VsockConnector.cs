using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Sealpod.AgentClient.Transport;

/// <summary>Opens an AF_VSOCK stream to (context id, port) and returns it as an ordinary <see cref="Socket"/>.</summary>
public static class VsockConnector
{
    /// <exception cref="SocketException">The peer refused or could not be reached (the native errno is kept).</exception>
    public static async Task<Socket> ConnectAsync(uint contextId, uint port, CancellationToken cancellationToken = default)
    {
        int fd = VsockNative.socket(VsockNative.AfVsock, VsockNative.SockStream | VsockNative.SockNonBlock | VsockNative.SockCloExec, 0);
        if (fd < 0)
        {
            throw new SocketException(Marshal.GetLastPInvokeError());
        }

        try
        {
            int error = StartConnect(fd, contextId, port);
            if (error == VsockNative.EInProgress)
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
                _ = VsockNative.close(fd);
            }
        }
    }

    private static unsafe int StartConnect(int fd, uint contextId, uint port)
    {
        byte* address = stackalloc byte[16];
        VsockNative.WriteSockaddrVm(new Span<byte>(address, 16), contextId, port);
        return VsockNative.connect(fd, address, 16) == 0 ? 0 : Marshal.GetLastPInvokeError();
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
        var pfd = new VsockNative.PollFd { Fd = fd, Events = VsockNative.PollOut };
        int rc;
        do
        {
            rc = VsockNative.poll(&pfd, 1, timeoutMs);
        }
        while (rc < 0 && Marshal.GetLastPInvokeError() == VsockNative.EIntr);
        return rc;
    }

    private static unsafe int SocketError(int fd)
    {
        int value = 0;
        int length = sizeof(int);
        return VsockNative.getsockopt(fd, VsockNative.SolSocket, VsockNative.SoError, &value, &length) == 0
            ? value
            : Marshal.GetLastPInvokeError();
    }
}
