namespace Sealpod.Linux.Netlink;

/// <summary>
/// A NETLINK_ROUTE socket: one request at a time, each with its own sequence number, answered by an ack or a
/// dump. The socket belongs to the network namespace of the thread that opened it, for its whole life, so
/// opening it inside <see cref="NetworkNamespace.Run{T}"/> binds every request to that namespace. Calls block:
/// the kernel answers rtnetlink requests synchronously, with no peer to wait for.
/// </summary>
internal sealed unsafe class NetlinkSocket : IDisposable
{
    // A dump datagram holds at most what fits in the socket's receive buffer; 64 KiB takes any single one
    // (the kernel fills up to 32 KiB per datagram for dumps).
    private const int ReceiveBufferSize = 64 * 1024;

    private static readonly TimeSpan ReplyTimeout = TimeSpan.FromSeconds(10);

    private readonly SafeFileHandle _handle;
    private readonly byte[] _receive = new byte[ReceiveBufferSize];
    private uint _sequence;

    private NetlinkSocket(SafeFileHandle handle, uint firstSequence)
    {
        _handle = handle;
        _sequence = firstSequence;
    }

    /// <summary>Opens and binds a socket in the calling thread's network namespace.</summary>
    public static NetlinkSocket Open()
    {
        var fd = SystemCallException.ThrowIfFailed(
            LibC.Socket(LibC.AF_NETLINK, LibC.SOCK_RAW | LibC.SOCK_CLOEXEC, LibC.NETLINK_ROUTE), "socket", "AF_NETLINK NETLINK_ROUTE");
        var handle = new SafeFileHandle(fd, ownsHandle: true);
        try
        {
            var address = new LibC.SockAddrNetlink { Family = LibC.AF_NETLINK };
            SystemCallException.ThrowIfFailed(LibC.Bind(fd, &address, (uint)sizeof(LibC.SockAddrNetlink)), "bind", "netlink socket");

            // Errors carry the kernel's text and no copy of the request.
            var on = 1;
            SystemCallException.ThrowIfFailed(LibC.SetSockOpt(fd, LibC.SOL_NETLINK, LibC.NETLINK_EXT_ACK, &on, sizeof(int)), "setsockopt", "NETLINK_EXT_ACK");
            SystemCallException.ThrowIfFailed(LibC.SetSockOpt(fd, LibC.SOL_NETLINK, LibC.NETLINK_CAP_ACK, &on, sizeof(int)), "setsockopt", "NETLINK_CAP_ACK");

            // The kernel answers at once; a reply that never comes (a lost ack under memory pressure) must not
            // hang the shim's teardown forever.
            var timeout = new LibC.TimeVal { Seconds = (long)ReplyTimeout.TotalSeconds };
            SystemCallException.ThrowIfFailed(LibC.SetSockOpt(fd, LibC.SOL_SOCKET, LibC.SO_RCVTIMEO, &timeout, (uint)sizeof(LibC.TimeVal)), "setsockopt", "SO_RCVTIMEO");

            // Sequence numbers only need to differ from recent ones on this socket; starting from the clock makes
            // a stale reply from an earlier socket with the same port id unlikely to match.
            return new NetlinkSocket(handle, (uint)Environment.TickCount);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    public uint NextSequence() => ++_sequence;

    /// <summary>Sends the request and reads replies until its ack, its dump's end or its error.</summary>
    public void Transact(NetlinkWriter request, uint sequence, string operation, ReplyReader.MessageHandler? onMessage = null)
    {
        var reader = new ReplyReader(sequence, operation);
        using var lease = new DescriptorLease(_handle);
        var fd = lease.Descriptor;
        SendAll(fd, request.Message, operation);
        while (true)
        {
            var length = Receive(fd, operation);
            if (reader.Accept(_receive.AsSpan(0, length), onMessage))
            {
                return;
            }
        }
    }

    public void Dispose() => _handle.Dispose();

    private static void SendAll(int fd, ReadOnlySpan<byte> message, string operation)
    {
        fixed (byte* bytes = message)
        {
            while (true)
            {
                var sent = LibC.Send(fd, bytes, (nuint)message.Length, 0);
                if (sent >= 0)
                {
                    // A datagram goes whole or not at all.
                    return;
                }

                var error = System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
                if (error != LibC.EINTR)
                {
                    throw new NetlinkException(operation, error);
                }
            }
        }
    }

    private int Receive(int fd, string operation)
    {
        fixed (byte* buffer = _receive)
        {
            while (true)
            {
                var length = LibC.Recv(fd, buffer, (nuint)_receive.Length, LibC.MSG_TRUNC);
                if (length >= 0)
                {
                    return length <= _receive.Length
                        ? (int)length
                        : throw new InvalidDataException($"netlink {operation}: a reply of {length} bytes exceeds the {_receive.Length}-byte buffer");
                }

                var error = System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
                if (error == LibC.EAGAIN)
                {
                    throw new NetlinkException(operation, error, $"no reply from the kernel within {ReplyTimeout.TotalSeconds} s");
                }

                if (error != LibC.EINTR)
                {
                    throw new NetlinkException(operation, error);
                }
            }
        }
    }
}
