namespace Sealpod.Runtime.Processes;

/// <summary>Registered, not yet started in the guest: start, delete, or die with the VM.</summary>
internal sealed class ExecCreatedState(ExecProcess process) : IExecState
{
    public ProcessStatus Status => ProcessStatus.Created;

    public bool CanTransitionTo(ProcessStatus next) => next is ProcessStatus.Running or ProcessStatus.Stopped or ProcessStatus.Deleted;

    public Task StartAsync(CancellationToken cancellationToken) =>
        process.EnterAfterAsync(process.StartInGuestAsync(cancellationToken), new ExecRunningState(process));

    public Task KillAsync(uint signal, CancellationToken cancellationToken) => throw process.Refused("signal", "it has not been started");

    public Task<ExitResult> DeleteAsync(CancellationToken cancellationToken) => process.DeleteInto(new ExecDeletedState(process));

    public void SetExited(ExitResult exit) => process.ExitInto(exit, new ExecStoppedState(process));
}
