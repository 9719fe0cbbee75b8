namespace Sealpod.Runtime.Processes;

/// <summary>
/// The part init and exec processes share: the current state object, the gated dispatch of calls to it, the
/// whitelisted transitions, and delete. What each kind of process may do lives in its own state classes.
/// </summary>
public abstract class StatefulProcess<TState> : GuestProcess
    where TState : class, IProcessState
{
    private volatile TState _state = null!;

    private protected StatefulProcess(ProcessContext context, string containerId, string execId, string agentExecId, StdioForwarder io)
        : base(context, containerId, execId, agentExecId, io)
    {
    }

    public override ProcessStatus Status => _state.Status;

    /// <summary>Deletes the process record (refused while it runs); a container tears down its guest side afterwards.</summary>
    public async Task<ExitResult> DeleteAsync(CancellationToken cancellationToken = default)
    {
        await Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await _state.DeleteAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Gate.Release();
        }
    }

    internal void Transition(TState next)
    {
        if (!_state.CanTransitionTo(next.Status))
        {
            // A state class offered an edge it does not own: a bug, not a caller error.
            throw new InvalidOperationException($"{Describe()}: illegal transition {_state.Status} -> {next.Status}");
        }

        _state = next;
    }

    /// <summary>The exit a delete reports: the recorded one, or status 0 now for a process that never ran.</summary>
    internal ExitResult MarkDeleted()
    {
        var result = Exit ?? new ExitResult(0, Context.Time.GetUtcNow());
        CompleteWithoutExit(result);
        return result;
    }

    /// <summary>Runs a guest call and, once the guest has done it, moves to <paramref name="next"/>.</summary>
    internal async Task EnterAfterAsync(Task guestCall, TState next)
    {
        await guestCall.ConfigureAwait(false);
        Transition(next);
    }

    /// <summary>Records the exit the guest reported (or the VM's death) and moves to <paramref name="stopped"/>.</summary>
    internal void ExitInto(ExitResult exit, TState stopped)
    {
        RecordExit(exit);
        Transition(stopped);
    }

    /// <summary>A delete from a state that allows it: the exit it reports, then <paramref name="deleted"/>.</summary>
    internal Task<ExitResult> DeleteInto(TState deleted)
    {
        var result = MarkDeleted();
        Transition(deleted);
        return Task.FromResult(result);
    }

    /// <summary>The refusal of a call the current state does not allow.</summary>
    internal FailedPreconditionException Refused(string call, string reason) => new($"cannot {call} {Describe()}: {reason}");

    /// <summary>What every call on a deleted process gets.</summary>
    internal NotFoundException Gone() => new($"{Describe()}: process deleted");

    /// <summary>A signal to a process that has exited: SIGKILL and SIGTERM are accepted as no-ops, as Kata does.</summary>
    internal Task SignalExited(uint signal) =>
        Signals.IsTermination(signal)
            ? Task.CompletedTask
            : throw new NotFoundException($"cannot signal {Describe()}: process already finished");

    /// <summary>Sets the first state; the derived constructor calls it, as that state needs the finished process.</summary>
    private protected void EnterFirstState(TState first) => _state = first;

    private protected override void SetExitedInState(ExitResult exit) => _state.SetExited(exit);

    /// <summary>Runs a call on the current state under the gate.</summary>
    private protected async Task RunAsync(Func<TState, Task> call, CancellationToken cancellationToken)
    {
        await Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await call(_state).ConfigureAwait(false);
        }
        finally
        {
            Gate.Release();
        }
    }
}
