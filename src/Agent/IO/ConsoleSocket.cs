namespace Sealpod.Agent.IO;

/// <summary>
/// The unix socket passed to the runtime as <c>--console-socket</c>. The runtime creates the
/// container's pty, connects here and sends the master with SCM_RIGHTS before its create/exec
/// returns, so the agent accepts after the runtime has exited: the connection and the descriptor
/// are already queued.
/// </summary>
internal sealed unsafe class ConsoleSocket : IDisposable
{
    private static readonly TimeSpan ReceiveTimeout = TimeSpan.FromSeconds(10);

    private readonly Socket _listener;

    public ConsoleSocket(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        Path = path;
        File.Delete(path);
        _listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            _listener.Bind(new UnixDomainSocketEndPoint(path));
            _listener.Listen(1);
        }
        catch
        {
            _listener.Dispose();
            throw;
        }
    }

    public string Path { get; }

    /// <summary>Accepts the runtime's connection and returns the pty master it sent.</summary>
    public SafeFileHandle ReceiveMaster()
    {
        if (!_listener.Poll(ReceiveTimeout, SelectMode.SelectRead))
        {
            throw new IOException($"The runtime did not connect to the console socket {Path}.");
        }

        using var connection = _listener.Accept();
        if (!connection.Poll(ReceiveTimeout, SelectMode.SelectRead))
        {
            throw new IOException($"The runtime sent no terminal on the console socket {Path}.");
        }

        return Receive(connection);
    }

    public void Dispose()
    {
        _listener.Dispose();
        File.Delete(Path);
    }

    private SafeFileHandle Receive(Socket connection)
    {
        // The payload is the pty's name, which the agent does not need.
        var data = stackalloc byte[4096];
        const int ControlSize = 64;
        var control = stackalloc byte[ControlSize];
        var vector = new LibC.IoVec { Base = data, Length = 4096 };
        var message = new LibC.MsgHdr
        {
            Iov = &vector,
            IovLength = 1,
            Control = control,
            ControlLength = ControlSize,
        };

        using (var lease = new DescriptorLease(connection.SafeHandle))
        {
            nint received;
            do
            {
                received = LibC.RecvMsg(lease.Descriptor, &message, LibC.MSG_CMSG_CLOEXEC);
            }
            while (received < 0 && Marshal.GetLastPInvokeError() == LibC.EINTR);

            if (received < 0)
            {
                throw SystemCallException.FromLastError("recvmsg", Path);
            }
        }

        // struct cmsghdr { size_t len; int level; int type; } followed by the descriptors.
        if (message.ControlLength < (nuint)(sizeof(nuint) + 8 + sizeof(int))
            || *(int*)(control + sizeof(nuint)) != LibC.SOL_SOCKET
            || *(int*)(control + sizeof(nuint) + 4) != LibC.SCM_RIGHTS)
        {
            throw new IOException($"The runtime's message on {Path} carried no file descriptor.");
        }

        var master = *(int*)(control + sizeof(nuint) + 8);
        return new SafeFileHandle(master, ownsHandle: true);
    }
}
