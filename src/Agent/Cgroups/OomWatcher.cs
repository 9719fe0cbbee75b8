using System.Threading.Channels;

namespace Sealpod.Agent.Cgroups;

/// <summary>
/// Reports containers whose cgroup had a process killed by the OOM killer: the <c>oom_kill</c>
/// counter of memory.events (v2) or memory.oom_control (v1) went up. cgroup v2 announces changes of
/// memory.events through inotify, so a kill is seen at once; v1 files do not, and a periodic re-read
/// (also the safety net for v2) catches them within a second.
/// </summary>
internal sealed class OomWatcher : IAsyncDisposable
{
    private static readonly TimeSpan RecheckInterval = TimeSpan.FromSeconds(1);

    private readonly CgroupLayout _layout;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Watched> _watched = new(StringComparer.Ordinal);
    private readonly Channel<string> _events = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleWriter = true });
    private readonly AsyncFd? _inotify;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public OomWatcher(CgroupLayout layout, FdPoller poller)
    {
        ArgumentNullException.ThrowIfNull(poller);
        _layout = layout;
        if (layout.Version == CgroupVersion.V2)
        {
            var fd = LibC.InotifyInit1(LibC.O_CLOEXEC | LibC.O_NONBLOCK);
            if (fd >= 0)
            {
                _inotify = poller.Register(fd);
            }
        }

        _loop = Task.Run(RunAsync);
    }

    /// <summary>Starts watching a container's cgroup; OOM kills that happened before are not reported.</summary>
    public void Watch(string containerId, string cgroupPath)
    {
        var (directory, file) = EventsFile(cgroupPath);
        var watch = -1;
        if (_inotify is not null && directory is not null)
        {
            watch = _inotify.WithDescriptor(fd => LibC.InotifyAddWatch(fd, Path.Combine(directory, file), LibC.IN_MODIFY));
        }

        lock (_gate)
        {
            _watched[containerId] = new Watched(directory, file, watch) { Kills = ReadKills(directory, file) };
        }
    }

    public void Unwatch(string containerId)
    {
        Watched? watched;
        lock (_gate)
        {
            _watched.Remove(containerId, out watched);
        }

        if (watched is { Watch: >= 0 } && _inotify is not null)
        {
            try
            {
                _inotify.WithDescriptor(fd => LibC.InotifyRmWatch(fd, watched.Watch));
            }
            catch (ObjectDisposedException)
            {
                // Shutting down: the watches go with the descriptor.
            }
        }
    }

    /// <summary>Waits for the next OOM kill and returns the id of its container.</summary>
    public ValueTask<string> NextAsync(CancellationToken cancellationToken) => _events.Reader.ReadAsync(cancellationToken);

    /// <summary>Re-reads every counter now (the loop does this on every wake-up).</summary>
    public void Check()
    {
        List<string> killed = [];
        lock (_gate)
        {
            foreach (var (id, watched) in _watched)
            {
                var kills = ReadKills(watched.Directory, watched.File);
                if (kills > watched.Kills)
                {
                    killed.Add(id);
                }

                watched.Kills = Math.Max(kills, watched.Kills);
            }
        }

        foreach (var id in killed)
        {
            _events.Writer.TryWrite(id);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The loop ends by cancellation.
        }

        _inotify?.Dispose();
        _stop.Dispose();
    }

    private async Task RunAsync()
    {
        var buffer = new byte[4096];
        var token = _stop.Token;
        Task? inotifyRead = null;
        while (!token.IsCancellationRequested)
        {
            if (_inotify is not null)
            {
                // The event contents do not matter: any change means "re-read the counters".
                inotifyRead ??= _inotify.ReadAsync(buffer, token).AsTask();
                await Task.WhenAny(inotifyRead, Task.Delay(RecheckInterval, token)).ConfigureAwait(false);
                if (inotifyRead.IsCompleted)
                {
                    inotifyRead = null;
                }
            }
            else
            {
                await Task.Delay(RecheckInterval, token).ConfigureAwait(false);
            }

            Check();
        }
    }

    private (string? Directory, string File) EventsFile(string cgroupPath) =>
        _layout.Version == CgroupVersion.V2
            ? (_layout.Directory(cgroupPath, "memory"), "memory.events")
            : (_layout.Directory(cgroupPath, "memory"), "memory.oom_control");

    private static ulong ReadKills(string? directory, string file) =>
        CgroupFiles.ReadKeyValues(directory, file).GetValueOrDefault("oom_kill");

    private sealed class Watched(string? directory, string file, int watch)
    {
        public string? Directory { get; } = directory;

        public string File { get; } = file;

        public int Watch { get; } = watch;

        public ulong Kills { get; set; }
    }
}
