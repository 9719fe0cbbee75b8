using Sealpod.Runtime.Errors;

namespace Sealpod.Runtime.Processes;

/// <summary>Running: pause, kill, or exit.</summary>
internal sealed class InitRunningState(InitProcess process) : IInitState
{
    public ProcessStatus Status => ProcessStatus.Running;

    public bool CanTransitionTo(ProcessStatus next) => next is ProcessStatus.Paused or ProcessStatus.Stopped;

    public Task StartAsync(CancellationToken cancellationToken) =>
        throw new FailedPreconditionException($"cannot start {process.Describe()}: it is already running");

    public async Task PauseAsync(CancellationToken cancellationToken)
    {
        await process.PauseInGuestAsync(cancellationToken).ConfigureAwait(false);
        process.Transition(new InitPausedState(process));
    }

    public Task ResumeAsync(CancellationToken cancellationToken) =>
        throw new FailedPreconditionException($"cannot resume {process.Describe()}: it is not paused");

    public Task KillAsync(uint signal, bool all, CancellationToken cancellationToken) =>
        process.SignalInGuestAsync(signal, all, cancellationToken);

    public Task<ExitResult> DeleteAsync(CancellationToken cancellationToken) =>
        throw new FailedPreconditionException($"cannot delete {process.Describe()}: it is running (kill it first)");

    public void SetExited(ExitResult exit)
    {
        process.RecordExit(exit);
        process.Transition(new InitStoppedState(process));
    }
}
