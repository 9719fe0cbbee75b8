namespace Sealpod.Agent.Containers;

/// <summary>What CreateSandbox asks for, translated from the wire.</summary>
internal sealed record SandboxSpec
{
    public string SandboxId { get; init; } = "";

    public string Hostname { get; init; } = "";

    /// <summary>resolv.conf lines ("nameserver 10.0.0.1", "search example.com").</summary>
    public IReadOnlyList<string> Dns { get; init; } = [];

    public IReadOnlyList<StorageSpec> Storages { get; init; } = [];

    /// <summary>Modules to load, each with its modprobe parameters.</summary>
    public IReadOnlyList<(string Name, IReadOnlyList<string> Parameters)> KernelModules { get; init; } = [];
}
