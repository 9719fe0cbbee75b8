namespace Sealpod.Agent.Containers;

/// <summary>
/// A process of a container: its init, or one started by ExecProcess. Holds its standard streams
/// and its exit. The pid is learnt from the runtime's pid file; the exit comes from the reaper.
/// </summary>
internal sealed class ContainerProcess(string execId, bool isInit, IProcessIo io) : IDisposable
{
    private readonly TaskCompletionSource<ExitStatus> _exit = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _gate = new();
    private int _pid;

    /// <summary>The exec id; for the init process, the id the runtime gave at CreateContainer.</summary>
    public string ExecId { get; } = execId;

    public bool IsInit { get; } = isInit;

    public IProcessIo Io { get; } = io;

    public int Pid
    {
        get
        {
            lock (_gate)
            {
                return _pid;
            }
        }
    }

    public Task<ExitStatus> Exited => _exit.Task;

    public bool HasExited => _exit.Task.IsCompleted;

    /// <summary>Whether WaitProcess already returned the exit of this (exec) process.</summary>
    public bool Waited { get; set; }

    /// <summary>Records the pid and forwards the reaper's exit notification.</summary>
    public void Started(int pid, Task<ExitStatus> exit)
    {
        lock (_gate)
        {
            _pid = pid;
        }

        exit.ContinueWith(
            static (task, state) =>
            {
                var exitSource = (TaskCompletionSource<ExitStatus>)state!;
                if (task.IsCompletedSuccessfully)
                {
                    exitSource.TrySetResult(task.Result);
                }
                else
                {
                    exitSource.TrySetException(task.Exception?.InnerException ?? new InvalidOperationException("The process's exit was not observed."));
                }
            },
            _exit,
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    /// <summary>Sends a signal unless the process is gone; returns false if it was.</summary>
    public bool Signal(int signal)
    {
        lock (_gate)
        {
            // The exit check and the kill are both under the lock the reaper's completion cannot
            // pass through first, but a reaped pid can be reused: never signal after the exit.
            if (_pid <= 0 || HasExited)
            {
                return false;
            }

            if (LibC.Kill(_pid, signal) == 0)
            {
                return true;
            }

            var error = Marshal.GetLastPInvokeError();
            return error == LibC.ESRCH ? false : throw new SystemCallException("kill", error, $"pid {_pid}");
        }
    }

    public void Dispose() => Io.Dispose();
}
