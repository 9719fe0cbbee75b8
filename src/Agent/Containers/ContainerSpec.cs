namespace Sealpod.Agent.Containers;

/// <summary>What CreateContainer asks for, translated from the wire.</summary>
internal sealed record ContainerSpec
{
    public required string Id { get; init; }

    /// <summary>The init process's exec id (Kata sends the container id).</summary>
    public string ExecId { get; init; } = "";

    public required OciSpec Spec { get; init; }

    public IReadOnlyList<StorageSpec> Storages { get; init; } = [];

    public IReadOnlyList<DeviceSpec> Devices { get; init; } = [];
}
