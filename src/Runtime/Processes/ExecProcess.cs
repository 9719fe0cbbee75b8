using Sealpod.Runtime.Agent;

namespace Sealpod.Runtime.Processes;

/// <summary>
/// An extra process in a running container (containerd's exec). Registering it only records the request;
/// the guest starts it on <see cref="StartAsync"/>, as Kata does.
/// </summary>
public sealed class ExecProcess : StatefulProcess<IExecState>
{
    private readonly OciProcess _spec;
    private readonly Func<bool> _containerRunning;

    internal ExecProcess(ProcessContext context, string containerId, string execId, OciProcess spec, StdioForwarder io, Func<bool> containerRunning)
        : base(context, containerId, execId, agentExecId: execId, io)
    {
        _spec = spec;
        _containerRunning = containerRunning;
        EnterFirstState(new ExecCreatedState(this));
    }

    /// <summary>Starts the process in the guest; its TaskExecStarted is queued before any exit of it can be.</summary>
    public Task StartAsync(CancellationToken cancellationToken = default) => RunAsync(s => s.StartAsync(cancellationToken), cancellationToken);

    public Task KillAsync(uint signal, CancellationToken cancellationToken = default) => RunAsync(s => s.KillAsync(signal, cancellationToken), cancellationToken);

    internal async Task StartInGuestAsync(CancellationToken cancellationToken)
    {
        if (!_containerRunning())
        {
            throw new Errors.FailedPreconditionException($"cannot start {Describe()}: the container is not running");
        }

        await Context.Agent.ExecProcessAsync(ContainerId, ExecId, _spec, cancellationToken).ConfigureAwait(false);
        Io.Start(new AgentProcessStreams(Context.Agent, ContainerId, AgentExecId));
        WatchExit();
        Context.Events.Enqueue(new TaskExecStarted(ContainerId, ExecId, Pid));
    }

    internal Task SignalInGuestAsync(uint signal, CancellationToken cancellationToken) =>
        Context.Agent.SignalProcessAsync(ContainerId, AgentExecId, signal, cancellationToken);
}
