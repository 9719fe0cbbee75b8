namespace Sealpod.AgentClient.Model;

/// <summary>What the agent sets up once per VM, before any container: hostname, sandbox-wide storages, kernel modules.</summary>
public sealed record CreateSandboxRequest
{
    public string SandboxId { get; init; } = string.Empty;

    public string Hostname { get; init; } = string.Empty;

    /// <summary>The pod's resolv.conf lines ("nameserver 10.96.0.10", "search ...", "options ..."), as Kata's <c>dns</c>.</summary>
    public IReadOnlyList<string> Dns { get; init; } = [];

    public IReadOnlyList<Storage> Storages { get; init; } = [];

    public IReadOnlyList<KernelModule> KernelModules { get; init; } = [];
}
