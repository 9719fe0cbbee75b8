namespace Sealpod.AgentClient.Model;

/// <summary>What the agent sets up once per VM, before any container: hostname, sandbox-wide storages, kernel modules.</summary>
public sealed record CreateSandboxRequest
{
    public string SandboxId { get; init; } = string.Empty;

    public string Hostname { get; init; } = string.Empty;

    public IReadOnlyList<Storage> Storages { get; init; } = [];

    public IReadOnlyList<KernelModule> KernelModules { get; init; } = [];
}
