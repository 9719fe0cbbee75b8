namespace Sealpod.Runtime.Processes;

/// <summary>One state of an exec process (containerd's execState); same contract as <see cref="IInitState"/>.</summary>
internal interface IExecState
{
    ProcessStatus Status { get; }

    Task StartAsync(CancellationToken cancellationToken);

    Task KillAsync(uint signal, CancellationToken cancellationToken);

    Task<ExitResult> DeleteAsync(CancellationToken cancellationToken);

    void SetExited(ExitResult exit);

    bool CanTransitionTo(ProcessStatus next);
}
