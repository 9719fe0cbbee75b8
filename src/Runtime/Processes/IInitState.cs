namespace Sealpod.Runtime.Processes;

/// <summary>
/// One state of an init process (containerd's initState). Each state performs only the calls that are legal
/// in it and moves the process on; everything else is refused with FailedPrecondition (or NotFound once
/// deleted). Implementations run under the process's gate.
/// </summary>
/// <remarks>Public only because <see cref="InitProcess"/>'s base names it; the states themselves are internal.</remarks>
public interface IInitState : IProcessState
{
    Task StartAsync(CancellationToken cancellationToken);

    Task PauseAsync(CancellationToken cancellationToken);

    Task ResumeAsync(CancellationToken cancellationToken);

    Task KillAsync(uint signal, bool all, CancellationToken cancellationToken);
}
