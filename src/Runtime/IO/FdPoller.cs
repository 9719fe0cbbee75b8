using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using Sealpod.Runtime.Native;

namespace Sealpod.Runtime.IO;

/// <summary>
/// One epoll instance and one thread waiting on it, shared by every FIFO of every process in the shim, so that
/// copying container I/O never parks a thread-pool thread in a blocking read or write. Descriptors are watched
/// edge-triggered; each <see cref="AsyncFd"/> counts the edges it was told about, so a readiness change that
/// lands between a failed attempt and the wait for the next one is not lost.
/// </summary>
public sealed unsafe class FdPoller : IDisposable
{
    private const int MaxEvents = 32;
    private const ulong WakeId = 0;

    private readonly int _epollFd;
    private readonly int _wakeFd;
    private readonly ConcurrentDictionary<ulong, AsyncFd> _registered = new();
    private readonly Thread _thread;
    private long _nextId;
    private volatile bool _disposed;

    public FdPoller()
    {
        _epollFd = LibC.EpollCreate1(LibC.O_CLOEXEC);
        if (_epollFd < 0)
        {
            throw LibC.Error("epoll_create1");
        }

        _wakeFd = LibC.EventFd(0, LibC.EFD_CLOEXEC | LibC.EFD_NONBLOCK);
        if (_wakeFd < 0)
        {
            var error = LibC.Error("eventfd");
            LibC.Close(_epollFd);
            throw error;
        }

        Control(LibC.EPOLL_CTL_ADD, _wakeFd, LibC.EPOLLIN, WakeId);
        _thread = new Thread(Run) { IsBackground = true, Name = "sealpod-fd-poller" };
        _thread.Start();
    }

    /// <summary>Makes <paramref name="fd"/> non-blocking and watches it; the returned object owns the descriptor.</summary>
    internal AsyncFd Register(int fd, string name)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        int flags = LibC.Fcntl(fd, LibC.F_GETFL, 0);
        if (flags < 0 || LibC.Fcntl(fd, LibC.F_SETFL, flags | LibC.O_NONBLOCK) < 0)
        {
            throw LibC.Error($"fcntl {name}");
        }

        ulong id = (ulong)Interlocked.Increment(ref _nextId);
        var asyncFd = new AsyncFd(this, fd, id, name);
        _registered[id] = asyncFd;
        try
        {
            Control(LibC.EPOLL_CTL_ADD, fd, LibC.EPOLLIN | LibC.EPOLLOUT | LibC.EPOLLRDHUP | LibC.EPOLLET, id);
        }
        catch
        {
            _registered.TryRemove(id, out _);
            throw;
        }

        return asyncFd;
    }

    internal void Unregister(AsyncFd asyncFd)
    {
        if (_registered.TryRemove(asyncFd.Id, out _) && !_disposed)
        {
            // Fails only when the descriptor is already out of the set.
            LibC.EpollCtl(_epollFd, LibC.EPOLL_CTL_DEL, asyncFd.Fd, null);
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        ulong one = 1;
        LibC.Write(_wakeFd, (byte*)&one, sizeof(ulong));
        if (Thread.CurrentThread != _thread)
        {
            _thread.Join();
        }

        foreach (var asyncFd in _registered.Values)
        {
            asyncFd.Dispose();
        }

        LibC.Close(_wakeFd);
        LibC.Close(_epollFd);
    }

    private void Control(int operation, int fd, uint events, ulong id)
    {
        byte* buffer = stackalloc byte[16];
        LibC.WriteEpollEvent(new Span<byte>(buffer, LibC.EpollEventSize), events, id);
        if (LibC.EpollCtl(_epollFd, operation, fd, buffer) < 0)
        {
            throw LibC.Error("epoll_ctl");
        }
    }

    private void Run()
    {
        int size = LibC.EpollEventSize;
        var buffer = new byte[MaxEvents * size];
        while (!_disposed)
        {
            int count;
            fixed (byte* events = buffer)
            {
                count = LibC.EpollWait(_epollFd, events, MaxEvents, -1);
            }

            if (count < 0)
            {
                if (Marshal.GetLastPInvokeError() == LibC.EINTR)
                {
                    continue;
                }

                // epoll_wait fails only on programming errors; waiting I/O then fails through its cancellation.
                return;
            }

            for (int i = 0; i < count; i++)
            {
                var (events, id) = LibC.ReadEpollEvent(buffer.AsSpan(i * size, size));
                if (id != WakeId && _registered.TryGetValue(id, out var asyncFd))
                {
                    asyncFd.OnEvents(events);
                }
            }
        }
    }
}
