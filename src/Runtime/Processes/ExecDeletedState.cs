namespace Sealpod.Runtime.Processes;

/// <summary>Deleted: nothing is left to act on.</summary>
internal sealed class ExecDeletedState(ExecProcess process) : IExecState
{
    public ProcessStatus Status => ProcessStatus.Deleted;

    public bool CanTransitionTo(ProcessStatus next) => false;

    public Task StartAsync(CancellationToken cancellationToken) => throw process.Gone();

    public Task KillAsync(uint signal, CancellationToken cancellationToken) => throw process.Gone();

    public Task<ExitResult> DeleteAsync(CancellationToken cancellationToken) => throw process.Gone();

    public void SetExited(ExitResult exit)
    {
    }
}
