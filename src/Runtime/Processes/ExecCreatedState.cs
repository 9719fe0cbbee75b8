using Sealpod.Runtime.Errors;

namespace Sealpod.Runtime.Processes;

/// <summary>Registered, not yet started in the guest: start, delete, or die with the VM.</summary>
internal sealed class ExecCreatedState(ExecProcess process) : IExecState
{
    public ProcessStatus Status => ProcessStatus.Created;

    public bool CanTransitionTo(ProcessStatus next) => next is ProcessStatus.Running or ProcessStatus.Stopped or ProcessStatus.Deleted;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await process.StartInGuestAsync(cancellationToken).ConfigureAwait(false);
        process.Transition(new ExecRunningState(process));
    }

    public Task KillAsync(uint signal, CancellationToken cancellationToken) =>
        throw new FailedPreconditionException($"cannot signal {process.Describe()}: it has not been started");

    public Task<ExitResult> DeleteAsync(CancellationToken cancellationToken)
    {
        var result = process.MarkDeleted();
        process.Transition(new ExecDeletedState(process));
        return Task.FromResult(result);
    }

    public void SetExited(ExitResult exit)
    {
        process.RecordExit(exit);
        process.Transition(new ExecStoppedState(process));
    }
}
