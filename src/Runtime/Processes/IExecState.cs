namespace Sealpod.Runtime.Processes;

/// <summary>One state of an exec process (containerd's execState); same contract as <see cref="IInitState"/>.</summary>
/// <remarks>Public only because <see cref="ExecProcess"/>'s base names it; the states themselves are internal.</remarks>
public interface IExecState : IProcessState
{
    Task StartAsync(CancellationToken cancellationToken);

    Task KillAsync(uint signal, CancellationToken cancellationToken);
}
