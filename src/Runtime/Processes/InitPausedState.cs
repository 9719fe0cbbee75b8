namespace Sealpod.Runtime.Processes;

/// <summary>Frozen: resume, kill, or exit (the VM can die under a frozen container).</summary>
internal sealed class InitPausedState(InitProcess process) : IInitState
{
    public ProcessStatus Status => ProcessStatus.Paused;

    public bool CanTransitionTo(ProcessStatus next) => next is ProcessStatus.Running or ProcessStatus.Stopped;

    public Task StartAsync(CancellationToken cancellationToken) => throw process.Refused("start", "it is paused");

    public Task PauseAsync(CancellationToken cancellationToken) => throw process.Refused("pause", "it is already paused");

    public Task ResumeAsync(CancellationToken cancellationToken) =>
        process.EnterAfterAsync(process.ResumeInGuestAsync(cancellationToken), new InitRunningState(process));

    public Task KillAsync(uint signal, bool all, CancellationToken cancellationToken) => process.SignalInGuestAsync(signal, all, cancellationToken);

    public Task<ExitResult> DeleteAsync(CancellationToken cancellationToken) => throw process.Refused("delete", "it is paused");

    public void SetExited(ExitResult exit) => process.ExitInto(exit, new InitStoppedState(process));
}
