namespace Sealpod.Vmm.Qemu.Qmp;

/// <summary>The body of QEMU's greeting, <c>{"QMP": {"version": ..., "capabilities": [...]}}</c>.</summary>
public sealed record QmpGreeting
{
    /// <summary>QEMU's version.</summary>
    [JsonPropertyName("version")]
    public required QmpVersion Version { get; init; }

    /// <summary>Optional protocol capabilities QEMU offers (such as <c>oob</c>); we enable none.</summary>
    [JsonPropertyName("capabilities")]
    public IReadOnlyList<string> Capabilities { get; init; } = [];
}
