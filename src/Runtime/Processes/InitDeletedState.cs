namespace Sealpod.Runtime.Processes;

/// <summary>Deleted: nothing is left to act on.</summary>
internal sealed class InitDeletedState(InitProcess process) : IInitState
{
    public ProcessStatus Status => ProcessStatus.Deleted;

    public bool CanTransitionTo(ProcessStatus next) => false;

    public Task StartAsync(CancellationToken cancellationToken) => throw process.Gone();

    public Task PauseAsync(CancellationToken cancellationToken) => throw process.Gone();

    public Task ResumeAsync(CancellationToken cancellationToken) => throw process.Gone();

    public Task KillAsync(uint signal, bool all, CancellationToken cancellationToken) => throw process.Gone();

    public Task<ExitResult> DeleteAsync(CancellationToken cancellationToken) => throw process.Gone();

    public void SetExited(ExitResult exit)
    {
    }
}
