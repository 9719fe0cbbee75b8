namespace Sealpod.Runtime.Processes;

/// <summary>Exited: only delete; SIGKILL and SIGTERM are accepted as no-ops, as Kata does.</summary>
internal sealed class InitStoppedState(InitProcess process) : IInitState
{
    public ProcessStatus Status => ProcessStatus.Stopped;

    public bool CanTransitionTo(ProcessStatus next) => next is ProcessStatus.Deleted;

    public Task StartAsync(CancellationToken cancellationToken) => throw process.Refused("start", "it has exited");

    public Task PauseAsync(CancellationToken cancellationToken) => throw process.Refused("pause", "it has exited");

    public Task ResumeAsync(CancellationToken cancellationToken) => throw process.Refused("resume", "it has exited");

    public Task KillAsync(uint signal, bool all, CancellationToken cancellationToken) => process.SignalExited(signal);

    public Task<ExitResult> DeleteAsync(CancellationToken cancellationToken) => process.DeleteInto(new InitDeletedState(process));

    // A second exit (the VM dying after the process did) changes nothing.
    public void SetExited(ExitResult exit)
    {
    }
}
