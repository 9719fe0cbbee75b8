using Sealpod.Runtime.Agent;

namespace Sealpod.Runtime.Processes;

/// <summary>
/// A container's init process. The guest created it with the container; the states decide which calls are
/// legal. Its exit is reported only after the exits of the container's exec processes (containerd's rule).
/// </summary>
public sealed class InitProcess : StatefulProcess<IInitState>
{
    private readonly Func<Task> _waitForExecExits;

    internal InitProcess(ProcessContext context, string containerId, StdioForwarder io, Func<Task> waitForExecExits)
        : base(context, containerId, execId: string.Empty, agentExecId: containerId, io)
    {
        _waitForExecExits = waitForExecExits;
        EnterFirstState(new InitCreatedState(this));
    }

    /// <summary>Starts the process; its TaskStart is queued before any exit of it can be.</summary>
    public Task StartAsync(CancellationToken cancellationToken = default) => RunAsync(s => s.StartAsync(cancellationToken), cancellationToken);

    public Task PauseAsync(CancellationToken cancellationToken = default) => RunAsync(s => s.PauseAsync(cancellationToken), cancellationToken);

    public Task ResumeAsync(CancellationToken cancellationToken = default) => RunAsync(s => s.ResumeAsync(cancellationToken), cancellationToken);

    /// <summary>Signals the init process, or with <paramref name="all"/> every process of the container.</summary>
    public Task KillAsync(uint signal, bool all, CancellationToken cancellationToken = default) =>
        RunAsync(s => s.KillAsync(signal, all, cancellationToken), cancellationToken);

    internal async Task StartInGuestAsync(CancellationToken cancellationToken)
    {
        Io.Start(new AgentProcessStreams(Context.Agent, ContainerId, AgentExecId));
        await Context.Agent.StartContainerAsync(ContainerId, cancellationToken).ConfigureAwait(false);
        WatchExit();
        Context.Events.Enqueue(new TaskStarted(ContainerId, Pid));
    }

    internal Task PauseInGuestAsync(CancellationToken cancellationToken) => Context.Agent.PauseContainerAsync(ContainerId, cancellationToken);

    internal Task ResumeInGuestAsync(CancellationToken cancellationToken) => Context.Agent.ResumeContainerAsync(ContainerId, cancellationToken);

    // An empty exec id makes the agent signal every process of the container (Kata's "all").
    internal Task SignalInGuestAsync(uint signal, bool all, CancellationToken cancellationToken) =>
        Context.Agent.SignalProcessAsync(ContainerId, all ? string.Empty : AgentExecId, signal, cancellationToken);

    private protected override Task BeforeExitReportedAsync() => _waitForExecExits();
}
