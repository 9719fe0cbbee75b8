using Sealpod.Runtime.Errors;

namespace Sealpod.Runtime.Processes;

/// <summary>Exited: only delete; SIGKILL and SIGTERM are no-ops.</summary>
internal sealed class ExecStoppedState(ExecProcess process) : IExecState
{
    public ProcessStatus Status => ProcessStatus.Stopped;

    public bool CanTransitionTo(ProcessStatus next) => next is ProcessStatus.Deleted;

    public Task StartAsync(CancellationToken cancellationToken) =>
        throw new FailedPreconditionException($"cannot start {process.Describe()}: it has exited");

    public Task KillAsync(uint signal, CancellationToken cancellationToken) =>
        Signals.IsTermination(signal)
            ? Task.CompletedTask
            : throw new NotFoundException($"cannot signal {process.Describe()}: process already finished");

    public Task<ExitResult> DeleteAsync(CancellationToken cancellationToken)
    {
        var result = process.MarkDeleted();
        process.Transition(new ExecDeletedState(process));
        return Task.FromResult(result);
    }

    public void SetExited(ExitResult exit)
    {
    }
}
