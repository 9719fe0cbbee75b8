namespace Sealpod.Agent.Processes;

/// <summary>A child the agent started, and the task that completes with its exit status.</summary>
internal sealed record ChildProcess(int Pid, Task<ExitStatus> Exited);
