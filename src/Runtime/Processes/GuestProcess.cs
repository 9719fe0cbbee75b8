namespace Sealpod.Runtime.Processes;

/// <summary>
/// A process in the guest as containerd sees it: the init process of a container or an exec process. Calls
/// are serialised by <see cref="Gate"/> and dispatched to the current state object, which either performs
/// the call and moves to the next state or refuses it with <see cref="FailedPreconditionException"/>.
/// The exit is taken under the same gate, so it is always reported after the start that preceded it.
/// </summary>
public abstract partial class GuestProcess
{
    private readonly TaskCompletionSource<ExitResult> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _exitHandlingStarted;

    private protected GuestProcess(ProcessContext context, string containerId, string execId, string agentExecId, StdioForwarder io)
    {
        Context = context;
        ContainerId = containerId;
        ExecId = execId;
        AgentExecId = agentExecId;
        Io = io;
    }

    public string ContainerId { get; }

    /// <summary>containerd's exec id; empty for the init process.</summary>
    public string ExecId { get; }

    /// <summary>The id the agent knows the process by (the container id for the init process, as Kata).</summary>
    public string AgentExecId { get; }

    /// <summary>The pid containerd is told (the hypervisor's).</summary>
    public uint Pid => Context.Pid;

    public ProcessIoPaths IoPaths => Io.Paths;

    public abstract ProcessStatus Status { get; }

    /// <summary>The exit, once the process has stopped.</summary>
    public ExitResult? Exit { get; private set; }

    /// <summary>Completes once the exit has been recorded and its event queued.</summary>
    public Task<ExitResult> Exited => _exited.Task;

    internal ProcessContext Context { get; }

    internal StdioForwarder Io { get; }

    /// <summary>Serialises state changes (containerd's process mutex).</summary>
    private protected SemaphoreSlim Gate { get; } = new(1, 1);

    /// <summary>Blocks until the process has exited.</summary>
    public Task<ExitResult> WaitAsync(CancellationToken cancellationToken = default) => _exited.Task.WaitAsync(cancellationToken);

    /// <summary>Resizes the process's terminal.</summary>
    public async Task ResizePtyAsync(uint width, uint height, CancellationToken cancellationToken = default)
    {
        ThrowIfDeleted();
        if (!IoPaths.Terminal)
        {
            throw new FailedPreconditionException($"{Describe()} has no terminal to resize");
        }

        await Context.Agent.TtyWinResizeAsync(ContainerId, AgentExecId, height, width, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>containerd's CloseIO with stdin set.</summary>
    public void CloseStdin()
    {
        ThrowIfDeleted();
        Io.CloseStdin();
    }

    /// <summary>"container X" or "exec Y in container X", for messages.</summary>
    public string Describe() => ExecId.Length == 0 ? $"container {ContainerId}" : $"exec {ExecId} in container {ContainerId}";

    /// <summary>
    /// The VM is gone: a process that has no exit watcher yet (never started) exits now with
    /// <see cref="ExitResult.VmDiedStatus"/>; watched ones exit through their failing watcher.
    /// </summary>
    internal void OnVmExited()
    {
        if (Interlocked.Exchange(ref _exitHandlingStarted, 1) == 0)
        {
            _ = Task.Run(() => HandleExitAsync(Task.FromResult((int)ExitResult.VmDiedStatus)));
        }
    }

    /// <summary>Starts waiting for the exit in the guest; called by the start transition once the process runs.</summary>
    internal void WatchExit()
    {
        if (Interlocked.Exchange(ref _exitHandlingStarted, 1) == 0)
        {
            var wait = Context.Agent.WaitProcessAsync(ContainerId, AgentExecId, CancellationToken.None);
            _ = Task.Run(() => HandleExitAsync(wait));
        }
    }

    /// <summary>Lets ordering rules hold the exit back (the init process waits for its exec processes' exits).</summary>
    private protected virtual Task BeforeExitReportedAsync() => Task.CompletedTask;

    /// <summary>The state's part of the exit: record it and move to stopped.</summary>
    private protected abstract void SetExitedInState(ExitResult exit);

    /// <summary>Records the exit and queues its event (called by the states under the gate).</summary>
    internal void RecordExit(ExitResult exit)
    {
        Exit = exit;
        Context.Events.Enqueue(new Events.TaskExited(ContainerId, ExecId.Length == 0 ? ContainerId : ExecId, Pid, exit.Status, exit.ExitedAt));
    }

    /// <summary>Completes <see cref="Exited"/> for a process deleted without ever exiting (never started).</summary>
    internal void CompleteWithoutExit(ExitResult result) => _exited.TrySetResult(result);

    private protected void ThrowIfDeleted()
    {
        if (Status == ProcessStatus.Deleted)
        {
            throw new NotFoundException($"{Describe()}: process deleted");
        }
    }

    // Runs unawaited (Task.Run): whatever fails here must still complete Exited, or Wait would never return.
    private async Task HandleExitAsync(Task<int> wait)
    {
        try
        {
            var exit = await RecordExitAsync(wait).ConfigureAwait(false);
            _exited.TrySetResult(exit);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            LogExitHandlingFailed(Context.Logger, Describe(), e.Message);
            _exited.TrySetException(e);
        }
    }

    private async Task<ExitResult> RecordExitAsync(Task<int> wait)
    {
        uint status;
        try
        {
            status = unchecked((uint)await wait.ConfigureAwait(false));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The agent cannot tell any more (the VM died, the connection broke): report the process as dead.
            LogWaitFailed(Context.Logger, Describe(), e.Message);
            status = ExitResult.VmDiedStatus;
        }

        // Everything the process wrote reaches containerd before its exit does.
        await Io.OutputDrained.ConfigureAwait(false);
        await BeforeExitReportedAsync().ConfigureAwait(false);
        var exit = new ExitResult(status, Context.Time.GetUtcNow());
        await Gate.WaitAsync().ConfigureAwait(false);
        try
        {
            SetExitedInState(exit);
        }
        finally
        {
            Gate.Release();
        }

        LogExited(Context.Logger, Describe(), status);
        return Exit ?? exit;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "{Process}: recording the exit failed; waiters get the error: {Reason}")]
    private static partial void LogExitHandlingFailed(ILogger logger, string process, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Process}: waiting for the exit failed, reporting it dead: {Reason}")]
    private static partial void LogWaitFailed(ILogger logger, string process, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Process} exited with status {Status}")]
    private static partial void LogExited(ILogger logger, string process, uint status);
}
