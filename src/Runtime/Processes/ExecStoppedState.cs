namespace Sealpod.Runtime.Processes;

/// <summary>Exited: only delete; SIGKILL and SIGTERM are no-ops.</summary>
internal sealed class ExecStoppedState(ExecProcess process) : IExecState
{
    public ProcessStatus Status => ProcessStatus.Stopped;

    public bool CanTransitionTo(ProcessStatus next) => next is ProcessStatus.Deleted;

    public Task StartAsync(CancellationToken cancellationToken) => throw process.Refused("start", "it has exited");

    public Task KillAsync(uint signal, CancellationToken cancellationToken) => process.SignalExited(signal);

    public Task<ExitResult> DeleteAsync(CancellationToken cancellationToken) => process.DeleteInto(new ExecDeletedState(process));

    public void SetExited(ExitResult exit)
    {
    }
}
