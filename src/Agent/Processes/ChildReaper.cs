using Microsoft.Extensions.Logging.Abstractions;

namespace Sealpod.Agent.Processes;

/// <summary>
/// The one place that calls <c>waitpid</c>. As PID 1 (or a child subreaper on a test host) the
/// agent inherits every orphan: container processes once the runtime CLI that created them has
/// exited, and whatever those leave behind. SIGCHLD wakes a dedicated thread that reaps with
/// <c>waitpid(-1, WNOHANG)</c> until nothing is left and completes the waiter of each pid.
/// <para>
/// Two ways to wait: <see cref="Spawn"/> registers the pid under the same lock the reaper takes,
/// so a child that exits at once is never missed; <see cref="Adopt"/> is for a descendant whose
/// pid is learnt later (from a runtime's pid file): exits of unregistered pids are kept for a while,
/// stamped with a sequence number, and an adoption accepts only exits recorded after the
/// <see cref="Checkpoint"/> taken before the process could exist.
/// </para>
/// Only one reaper may exist per process, and nothing else may wait for children: the runtime's
/// own reaping (as PID 1) is turned off by registering the SIGCHLD callback it offers (see
/// <see cref="SystemNative"/>); that callback can only reach the reaper through a static field.
/// </summary>
internal sealed unsafe class ChildReaper : IDisposable
{
    // The runtime's SIGCHLD callback carries no state: this is the process's one reaper.
    private static ChildReaper? s_current;

    private const int MaxUnclaimedExits = 4096;

    private readonly Lock _gate = new();
    private readonly Dictionary<int, TaskCompletionSource<ExitStatus>> _waiters = [];
    private readonly Dictionary<int, (ExitStatus Status, long Sequence)> _unclaimed = [];
    private readonly Queue<(int Pid, long Sequence)> _unclaimedOrder = new();
    private readonly SemaphoreSlim _wake = new(0);
    private readonly Thread _thread;
    private readonly PosixSignalRegistration _registration;
    private readonly ILogger _log;
    private long _sequence;
    private volatile bool _stopping;

    private ChildReaper(ILogger log)
    {
        _log = log;
        // The registration makes the runtime install its SIGCHLD handler; the callback below then
        // keeps the runtime from reaping children itself.
        _registration = PosixSignalRegistration.Create(PosixSignal.SIGCHLD, _ => _wake.Release());
        _thread = new Thread(Run) { IsBackground = true, Name = "child-reaper" };
        _thread.Start();
    }

    /// <summary>Exits reaped so far that no waiter claimed (diagnostics and tests).</summary>
    public int UnclaimedCount
    {
        get
        {
            lock (_gate)
            {
                return _unclaimed.Count;
            }
        }
    }

    /// <summary>
    /// Starts the reaper. Unless the agent is PID 1, it also marks this process a child subreaper
    /// so that orphaned container processes are re-parented here rather than to the host's init.
    /// </summary>
    public static ChildReaper Start() => Start(NullLogger.Instance);

    public static ChildReaper Start(ILogger log)
    {
        ChildSignalDisposition.ResetIfIgnored();
        if (LibC.GetPid() != 1)
        {
            SystemCallException.ThrowIfFailed(LibC.Prctl(LibC.PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0), "prctl(PR_SET_CHILD_SUBREAPER)");
        }

        var reaper = new ChildReaper(log);
        if (Interlocked.CompareExchange(ref s_current, reaper, null) is not null)
        {
            reaper.Dispose();
            throw new InvalidOperationException("A child reaper already runs in this process.");
        }

        SystemNative.RegisterForSigChld(&OnChildSignal);
        reaper._wake.Release();
        return reaper;
    }

    /// <summary>Spawns a child and returns it with the task that completes when it exits.</summary>
    public ChildProcess Spawn(SpawnRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_stopping, this);
            var pid = ProcessSpawner.Spawn(request);
            _log.LogDebug("spawned pid {Pid}: {Program} {Arguments}", pid, request.Path, string.Join(' ', request.Arguments));
            var waiter = new TaskCompletionSource<ExitStatus>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters[pid] = waiter;
            return new ChildProcess(pid, waiter.Task);
        }
    }

    /// <summary>A mark to pass to <see cref="Adopt"/>: exits reaped before it are not accepted.</summary>
    public long Checkpoint()
    {
        lock (_gate)
        {
            return _sequence;
        }
    }

    /// <summary>
    /// Waits for a descendant that was not started by <see cref="Spawn"/>. If it already exited
    /// (after <paramref name="checkpoint"/>) the task is complete. If no such process exists and
    /// none was reaped, the task fails: the pid is not a descendant of the agent.
    /// </summary>
    public Task<ExitStatus> Adopt(int pid, long checkpoint)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(pid);
        lock (_gate)
        {
            if (_unclaimed.TryGetValue(pid, out var exit) && exit.Sequence > checkpoint)
            {
                _unclaimed.Remove(pid);
                return Task.FromResult(exit.Status);
            }

            if (_waiters.TryGetValue(pid, out var existing))
            {
                return existing.Task;
            }

            // A zombie still answers kill(0); ESRCH means it was reaped already, and not by us.
            if (LibC.Kill(pid, 0) != 0 && Marshal.GetLastPInvokeError() == LibC.ESRCH)
            {
                return Task.FromException<ExitStatus>(new InvalidOperationException($"Process {pid} does not exist and its exit was not observed."));
            }

            var waiter = new TaskCompletionSource<ExitStatus>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters[pid] = waiter;
            return waiter.Task;
        }
    }

    public void Dispose()
    {
        if (_stopping)
        {
            return;
        }

        _stopping = true;
        Interlocked.CompareExchange(ref s_current, null, this);
        _registration.Dispose();
        _wake.Release();
        _thread.Join();

        // _wake is not disposed: the runtime's signal thread may still be releasing it, and a
        // SemaphoreSlim whose wait handle was never created holds nothing to free.
    }

    [UnmanagedCallersOnly]
    private static int OnChildSignal(int reapAll, int configureConsole)
    {
        s_current?._wake.Release();
        return 0;
    }

    private void Run()
    {
        while (!_stopping)
        {
            // The timeout is a safety net only: every SIGCHLD releases the semaphore.
            _wake.Wait(TimeSpan.FromSeconds(5));
            ReapAll();
        }
    }

    private void ReapAll()
    {
        while (true)
        {
            int status;
            var pid = LibC.WaitPid(-1, &status, LibC.WNOHANG);
            if (pid == 0)
            {
                return;
            }

            if (pid < 0)
            {
                var error = Marshal.GetLastPInvokeError();
                if (error == LibC.EINTR)
                {
                    continue;
                }

                if (error != LibC.ECHILD)
                {
                    _log.LogWarning("waitpid failed: errno {Errno}", error);
                }

                return; // ECHILD: no children at all.
            }

            Complete(pid, ExitStatus.FromWaitStatus(status));
        }
    }

    private void Complete(int pid, ExitStatus status)
    {
        TaskCompletionSource<ExitStatus>? waiter;
        lock (_gate)
        {
            _sequence++;
            if (!_waiters.Remove(pid, out waiter))
            {
                _unclaimed[pid] = (status, _sequence);
                _unclaimedOrder.Enqueue((pid, _sequence));
                while (_unclaimedOrder.Count > MaxUnclaimedExits)
                {
                    var (oldPid, oldSequence) = _unclaimedOrder.Dequeue();
                    if (_unclaimed.TryGetValue(oldPid, out var old) && old.Sequence == oldSequence)
                    {
                        _unclaimed.Remove(oldPid);
                    }
                }
            }
        }

        _log.LogDebug("reaped pid {Pid}: {Status}{Claimed}", pid, status, waiter is null ? " (not waited for yet)" : "");
        waiter?.TrySetResult(status);
    }
}
