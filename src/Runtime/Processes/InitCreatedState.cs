namespace Sealpod.Runtime.Processes;

/// <summary>Created in the guest, not started: start, kill, delete, or die with the VM.</summary>
internal sealed class InitCreatedState(InitProcess process) : IInitState
{
    public ProcessStatus Status => ProcessStatus.Created;

    public bool CanTransitionTo(ProcessStatus next) => next is ProcessStatus.Running or ProcessStatus.Stopped or ProcessStatus.Deleted;

    public Task StartAsync(CancellationToken cancellationToken) =>
        process.EnterAfterAsync(process.StartInGuestAsync(cancellationToken), new InitRunningState(process));

    public Task PauseAsync(CancellationToken cancellationToken) => throw process.Refused("pause", "it has not been started");

    public Task ResumeAsync(CancellationToken cancellationToken) => throw process.Refused("resume", "it is not paused");

    public Task KillAsync(uint signal, bool all, CancellationToken cancellationToken) => process.SignalInGuestAsync(signal, all, cancellationToken);

    public Task<ExitResult> DeleteAsync(CancellationToken cancellationToken) => process.DeleteInto(new InitDeletedState(process));

    public void SetExited(ExitResult exit) => process.ExitInto(exit, new InitStoppedState(process));
}
