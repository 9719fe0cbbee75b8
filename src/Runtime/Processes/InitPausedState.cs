using Sealpod.Runtime.Errors;

namespace Sealpod.Runtime.Processes;

/// <summary>Frozen: resume, kill, or exit (the VM can die under a frozen container).</summary>
internal sealed class InitPausedState(InitProcess process) : IInitState
{
    public ProcessStatus Status => ProcessStatus.Paused;

    public bool CanTransitionTo(ProcessStatus next) => next is ProcessStatus.Running or ProcessStatus.Stopped;

    public Task StartAsync(CancellationToken cancellationToken) =>
        throw new FailedPreconditionException($"cannot start {process.Describe()}: it is paused");

    public Task PauseAsync(CancellationToken cancellationToken) =>
        throw new FailedPreconditionException($"cannot pause {process.Describe()}: it is already paused");

    public async Task ResumeAsync(CancellationToken cancellationToken)
    {
        await process.ResumeInGuestAsync(cancellationToken).ConfigureAwait(false);
        process.Transition(new InitRunningState(process));
    }

    public Task KillAsync(uint signal, bool all, CancellationToken cancellationToken) =>
        process.SignalInGuestAsync(signal, all, cancellationToken);

    public Task<ExitResult> DeleteAsync(CancellationToken cancellationToken) =>
        throw new FailedPreconditionException($"cannot delete {process.Describe()}: it is paused");

    public void SetExited(ExitResult exit)
    {
        process.RecordExit(exit);
        process.Transition(new InitStoppedState(process));
    }
}
