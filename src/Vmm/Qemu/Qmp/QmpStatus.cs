namespace Sealpod.Vmm.Qemu.Qmp;

/// <summary>The reply of <c>query-status</c>.</summary>
public sealed record QmpStatus
{
    /// <summary>
    /// QEMU's run state: <c>prelaunch</c> (started with -S, never run), <c>running</c>, <c>paused</c>,
    /// <c>shutdown</c>, <c>guest-panicked</c>, <c>internal-error</c>... Kept as QEMU's string: the set grows.
    /// </summary>
    [JsonPropertyName("status")]
    public required string Status { get; init; }

    /// <summary>Whether the vCPUs are running.</summary>
    [JsonPropertyName("running")]
    public bool Running { get; init; }
}
