namespace Sealpod.Vmm.CloudHypervisor.Api;

/// <summary>OpenAPI <c>DeviceNode</c>; only what the driver reads.</summary>
public sealed record DeviceNode
{
    public string? Id { get; init; }

    /// <summary>Segment:bus:device.function, for example <c>0000:00:05.0</c>.</summary>
    public string? PciBdf { get; init; }
}
