namespace Sealpod.Agent.Containers;

/// <summary>
/// A device the host attached for a container (the Kata <c>Device</c> message): where it is in the
/// guest, and the path the container's spec gives it.
/// </summary>
internal sealed record DeviceSpec
{
    /// <summary>"blk" (virtio-blk: <see cref="Id"/> is its PCI path) or any type with a <see cref="VmPath"/>.</summary>
    public required string Type { get; init; }

    /// <summary>For blk: the PCI path ("02/01") when <see cref="VmPath"/> is empty.</summary>
    public string Id { get; init; } = "";

    /// <summary>The guest's node, when the host can predict it.</summary>
    public string VmPath { get; init; } = "";

    /// <summary>The linux.devices path in the container.</summary>
    public required string ContainerPath { get; init; }
}
