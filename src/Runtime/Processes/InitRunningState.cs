namespace Sealpod.Runtime.Processes;

/// <summary>Running: pause, kill, or exit.</summary>
internal sealed class InitRunningState(InitProcess process) : IInitState
{
    public ProcessStatus Status => ProcessStatus.Running;

    public bool CanTransitionTo(ProcessStatus next) => next is ProcessStatus.Paused or ProcessStatus.Stopped;

    public Task StartAsync(CancellationToken cancellationToken) => throw process.Refused("start", "it is already running");

    public Task PauseAsync(CancellationToken cancellationToken) =>
        process.EnterAfterAsync(process.PauseInGuestAsync(cancellationToken), new InitPausedState(process));

    public Task ResumeAsync(CancellationToken cancellationToken) => throw process.Refused("resume", "it is not paused");

    public Task KillAsync(uint signal, bool all, CancellationToken cancellationToken) => process.SignalInGuestAsync(signal, all, cancellationToken);

    public Task<ExitResult> DeleteAsync(CancellationToken cancellationToken) => throw process.Refused("delete", "it is running (kill it first)");

    public void SetExited(ExitResult exit) => process.ExitInto(exit, new InitStoppedState(process));
}
