namespace Sealpod.Runtime.Processes;

/// <summary>Running in the guest: kill, or exit.</summary>
internal sealed class ExecRunningState(ExecProcess process) : IExecState
{
    public ProcessStatus Status => ProcessStatus.Running;

    public bool CanTransitionTo(ProcessStatus next) => next is ProcessStatus.Stopped;

    public Task StartAsync(CancellationToken cancellationToken) => throw process.Refused("start", "it is already running");

    public Task KillAsync(uint signal, CancellationToken cancellationToken) => process.SignalInGuestAsync(signal, cancellationToken);

    public Task<ExitResult> DeleteAsync(CancellationToken cancellationToken) => throw process.Refused("delete", "it is running (kill it first)");

    public void SetExited(ExitResult exit) => process.ExitInto(exit, new ExecStoppedState(process));
}
