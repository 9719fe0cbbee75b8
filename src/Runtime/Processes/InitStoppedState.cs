using Sealpod.Runtime.Errors;

namespace Sealpod.Runtime.Processes;

/// <summary>Exited: only delete; SIGKILL and SIGTERM are accepted as no-ops, as Kata does.</summary>
internal sealed class InitStoppedState(InitProcess process) : IInitState
{
    public ProcessStatus Status => ProcessStatus.Stopped;

    public bool CanTransitionTo(ProcessStatus next) => next is ProcessStatus.Deleted;

    public Task StartAsync(CancellationToken cancellationToken) =>
        throw new FailedPreconditionException($"cannot start {process.Describe()}: it has exited");

    public Task PauseAsync(CancellationToken cancellationToken) =>
        throw new FailedPreconditionException($"cannot pause {process.Describe()}: it has exited");

    public Task ResumeAsync(CancellationToken cancellationToken) =>
        throw new FailedPreconditionException($"cannot resume {process.Describe()}: it has exited");

    public Task KillAsync(uint signal, bool all, CancellationToken cancellationToken) =>
        Signals.IsTermination(signal)
            ? Task.CompletedTask
            : throw new NotFoundException($"cannot signal {process.Describe()}: process already finished");

    public Task<ExitResult> DeleteAsync(CancellationToken cancellationToken)
    {
        var result = process.MarkDeleted();
        process.Transition(new InitDeletedState(process));
        return Task.FromResult(result);
    }

    // A second exit (the VM dying after the process did) changes nothing.
    public void SetExited(ExitResult exit)
    {
    }
}
