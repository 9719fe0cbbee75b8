namespace Sealpod.Vmm.CloudHypervisor.Api;

/// <summary>OpenAPI <c>VmInfo</c>: the VM's state and where its devices ended up.</summary>
public sealed record VmInfo
{
    public required VmConfig Config { get; init; }

    /// <summary>OpenAPI <c>VmState</c>: Created, Running, Shutdown, Paused, BreakPoint.</summary>
    public required string State { get; init; }

    public long? MemoryActualSize { get; init; }

    public IReadOnlyDictionary<string, DeviceNode>? DeviceTree { get; init; }
}
