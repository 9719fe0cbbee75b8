using Sealpod.Runtime.Errors;

namespace Sealpod.Runtime.Processes;

/// <summary>Deleted: nothing is left to act on.</summary>
internal sealed class InitDeletedState(InitProcess process) : IInitState
{
    public ProcessStatus Status => ProcessStatus.Deleted;

    public bool CanTransitionTo(ProcessStatus next) => false;

    public Task StartAsync(CancellationToken cancellationToken) => throw Gone();

    public Task PauseAsync(CancellationToken cancellationToken) => throw Gone();

    public Task ResumeAsync(CancellationToken cancellationToken) => throw Gone();

    public Task KillAsync(uint signal, bool all, CancellationToken cancellationToken) => throw Gone();

    public Task<ExitResult> DeleteAsync(CancellationToken cancellationToken) => throw Gone();

    public void SetExited(ExitResult exit)
    {
    }

    private NotFoundException Gone() => new($"{process.Describe()}: process deleted");
}
