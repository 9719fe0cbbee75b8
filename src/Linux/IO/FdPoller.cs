using System.Collections.Concurrent;

namespace Sealpod.Linux.IO;

/// <summary>
/// One epoll instance and the one thread that waits on it, shared by every descriptor of a process (the agent's
/// pipes, pty masters, serial port and vsock sockets; the shim's stdio FIFOs and logger pipes), so that
/// asynchronous I/O on them never parks a thread-pool thread in a blocking read or write. Descriptors are
/// registered edge-triggered once; <see cref="AsyncFd"/> counts the edges so that a readiness change between
/// a failed attempt and the wait is never lost.
/// </summary>
public sealed unsafe class FdPoller : IDisposable
{
    private const int MaxEventsPerWait = 64;
    private const ulong WakeId = 0;

    private readonly int _epollFd;
    private readonly int _wakeFd;
    private readonly ConcurrentDictionary<ulong, AsyncFd> _registrations = new();
    private readonly Thread _thread;
    private long _nextId;
    private volatile bool _stopping;

    public FdPoller()
    {
        _epollFd = SystemCallException.ThrowIfFailed(LibC.EpollCreate1(LibC.O_CLOEXEC), "epoll_create1");
        try
        {
            _wakeFd = SystemCallException.ThrowIfFailed(LibC.EventFd(0, LibC.EFD_CLOEXEC | LibC.EFD_NONBLOCK), "eventfd");
            try
            {
                Control(LibC.EPOLL_CTL_ADD, _wakeFd, LibC.EPOLLIN, WakeId, null);
            }
            catch
            {
                LibC.Close(_wakeFd);
                throw;
            }
        }
        catch
        {
            LibC.Close(_epollFd);
            throw;
        }

        _thread = new Thread(Run) { IsBackground = true, Name = "fd-poller" };
        _thread.Start();
    }

    /// <summary>
    /// Switches <paramref name="handle"/> to non-blocking mode and watches it. The returned <see cref="AsyncFd"/>
    /// owns the handle from now on; if registering fails, the handle is closed before the exception propagates.
    /// </summary>
    /// <param name="name">What errors call the descriptor (a path, "stdout of ..."); null leaves it unnamed.</param>
    public AsyncFd Register(SafeFileHandle handle, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(handle);
        try
        {
            ObjectDisposedException.ThrowIf(_stopping, this);
            var fd = (int)handle.DangerousGetHandle();
            var flags = SystemCallException.ThrowIfFailed(LibC.Fcntl(fd, LibC.F_GETFL, 0), "fcntl(F_GETFL)", name);
            SystemCallException.ThrowIfFailed(LibC.Fcntl(fd, LibC.F_SETFL, flags | LibC.O_NONBLOCK), "fcntl(F_SETFL)", name);

            var id = (ulong)Interlocked.Increment(ref _nextId);
            var asyncFd = new AsyncFd(this, handle, id, name);
            _registrations[id] = asyncFd;
            try
            {
                Control(LibC.EPOLL_CTL_ADD, fd, LibC.EPOLLIN | LibC.EPOLLOUT | LibC.EPOLLRDHUP | LibC.EPOLLET, id, name);
            }
            catch
            {
                _registrations.TryRemove(id, out _);
                throw;
            }

            return asyncFd;
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>Takes ownership of a raw descriptor (closed if registering fails) and registers it.</summary>
    public AsyncFd Register(int fd, string? name = null) => Register(new SafeFileHandle(fd, ownsHandle: true), name);

    internal void Unregister(AsyncFd asyncFd, int fd)
    {
        _registrations.TryRemove(asyncFd.Id, out _);
        if (!_stopping)
        {
            // Failure means the descriptor is already gone from the set; nothing else to undo.
            LibC.EpollCtl(_epollFd, LibC.EPOLL_CTL_DEL, fd, null);
        }
    }

    /// <summary>Stops the thread and disposes every registered descriptor; pending waits fail with <see cref="ObjectDisposedException"/>.</summary>
    public void Dispose()
    {
        if (_stopping)
        {
            return;
        }

        _stopping = true;
        ulong one = 1;
        LibC.Write(_wakeFd, (byte*)&one, sizeof(ulong));
        if (Thread.CurrentThread != _thread)
        {
            _thread.Join();
        }

        foreach (var registration in _registrations.Values)
        {
            registration.Dispose();
        }

        LibC.Close(_wakeFd);
        LibC.Close(_epollFd);
    }

    private void Control(int operation, int fd, uint events, ulong id, string? name)
    {
        var buffer = stackalloc byte[EpollEvent.MaxSize];
        EpollEvent.Write(new Span<byte>(buffer, EpollEvent.MaxSize), events, id);
        SystemCallException.ThrowIfFailed(LibC.EpollCtl(_epollFd, operation, fd, buffer), "epoll_ctl", name);
    }

    private void Run()
    {
        var size = EpollEvent.Size;
        var buffer = new byte[MaxEventsPerWait * size];
        while (!_stopping)
        {
            int count;
            fixed (byte* events = buffer)
            {
                count = LibC.EpollWait(_epollFd, events, MaxEventsPerWait, -1);
            }

            if (count < 0)
            {
                var error = Marshal.GetLastPInvokeError();
                if (error == LibC.EINTR)
                {
                    continue;
                }

                // epoll_wait only fails on programming errors; stop rather than spin.
                Console.Error.WriteLine($"{AppDomain.CurrentDomain.FriendlyName}: epoll_wait failed: errno {error}");
                return;
            }

            for (var i = 0; i < count; i++)
            {
                var (events, id) = EpollEvent.Read(buffer.AsSpan(i * size, size));
                if (id != WakeId && _registrations.TryGetValue(id, out var registration))
                {
                    registration.OnEvents(events);
                }
            }
        }
    }
}
