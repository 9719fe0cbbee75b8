namespace Sealpod.Runtime.Processes;

/// <summary>What every process of a sandbox shares: the agent, the event queue, the poller for FIFOs, the task pid.</summary>
/// <param name="Pid">The pid containerd sees for every process of the sandbox: the hypervisor's (as Kata).</param>
/// <param name="Namespace">The containerd namespace the shim serves (binary loggers are told it).</param>
public sealed record ProcessContext(IAgent Agent, EventQueue Events, FdPoller Poller, uint Pid, ILogger Logger, TimeProvider Time, string Namespace);
