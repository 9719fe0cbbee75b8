using Sealpod.Runtime.Errors;

namespace Sealpod.Runtime.Processes;

/// <summary>Created in the guest, not started: start, kill, delete, or die with the VM.</summary>
internal sealed class InitCreatedState(InitProcess process) : IInitState
{
    public ProcessStatus Status => ProcessStatus.Created;

    public bool CanTransitionTo(ProcessStatus next) => next is ProcessStatus.Running or ProcessStatus.Stopped or ProcessStatus.Deleted;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await process.StartInGuestAsync(cancellationToken).ConfigureAwait(false);
        process.Transition(new InitRunningState(process));
    }

    public Task PauseAsync(CancellationToken cancellationToken) =>
        throw new FailedPreconditionException($"cannot pause {process.Describe()}: it has not been started");

    public Task ResumeAsync(CancellationToken cancellationToken) =>
        throw new FailedPreconditionException($"cannot resume {process.Describe()}: it is not paused");

    public Task KillAsync(uint signal, bool all, CancellationToken cancellationToken) =>
        process.SignalInGuestAsync(signal, all, cancellationToken);

    public Task<ExitResult> DeleteAsync(CancellationToken cancellationToken)
    {
        var result = process.MarkDeleted();
        process.Transition(new InitDeletedState(process));
        return Task.FromResult(result);
    }

    public void SetExited(ExitResult exit)
    {
        process.RecordExit(exit);
        process.Transition(new InitStoppedState(process));
    }
}
