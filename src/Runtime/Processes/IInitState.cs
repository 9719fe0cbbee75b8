namespace Sealpod.Runtime.Processes;

/// <summary>
/// One state of an init process (containerd's initState). Each state performs only the calls that are legal
/// in it and moves the process on; everything else is refused with FailedPrecondition (or NotFound once
/// deleted). Implementations run under the process's gate.
/// </summary>
internal interface IInitState
{
    ProcessStatus Status { get; }

    Task StartAsync(CancellationToken cancellationToken);

    Task PauseAsync(CancellationToken cancellationToken);

    Task ResumeAsync(CancellationToken cancellationToken);

    Task KillAsync(uint signal, bool all, CancellationToken cancellationToken);

    Task<ExitResult> DeleteAsync(CancellationToken cancellationToken);

    /// <summary>The guest reported the exit (or the VM died).</summary>
    void SetExited(ExitResult exit);

    /// <summary>The edges out of this state; <see cref="InitProcess"/> refuses any other transition.</summary>
    bool CanTransitionTo(ProcessStatus next);
}
