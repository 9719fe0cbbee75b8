namespace Sealpod.CriHarness;

/// <summary>A pod the harness ran: its sandbox, its one container, the address CNI gave it and its log file.</summary>
public sealed record RunningPod(string Name, string Handler, string SandboxId, string ContainerId, string PodIp, string LogDirectory, string ContainerLogPath, string Page);
