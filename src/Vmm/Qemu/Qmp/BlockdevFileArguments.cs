namespace Sealpod.Vmm.Qemu.Qmp;

/// <summary>The <c>file</c> protocol node of a <c>blockdev-add</c>.</summary>
public sealed record BlockdevFileArguments
{
    /// <summary>The protocol driver: <c>file</c> for regular files, <c>host_device</c> for block devices.</summary>
    [JsonPropertyName("driver")]
    public string Driver { get; init; } = "file";

    /// <summary>The host path.</summary>
    [JsonPropertyName("filename")]
    public required string Filename { get; init; }

    /// <summary>The I/O mechanism (<c>threads</c>, <c>native</c>, <c>io_uring</c>), omitted for QEMU's default.</summary>
    [JsonPropertyName("aio")]
    public string? Aio { get; init; }
}
