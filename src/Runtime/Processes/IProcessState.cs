namespace Sealpod.Runtime.Processes;

/// <summary>
/// What every state of a process has, init or exec (<see cref="IInitState"/>, <see cref="IExecState"/>): its status,
/// delete, the exit, and the edges out of it. Implementations are the runtime's own and run under the process's gate.
/// </summary>
public interface IProcessState
{
    ProcessStatus Status { get; }

    Task<ExitResult> DeleteAsync(CancellationToken cancellationToken);

    /// <summary>The guest reported the exit (or the VM died).</summary>
    void SetExited(ExitResult exit);

    /// <summary>The edges out of this state; <see cref="StatefulProcess{TState}.Transition"/> refuses any other.</summary>
    bool CanTransitionTo(ProcessStatus next);
}
