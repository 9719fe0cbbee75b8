namespace Sealpod.Vmm.Qemu.Qmp;

/// <summary><c>blockdev-add</c> of a raw image: a format node over a file node.</summary>
public sealed record BlockdevAddArguments
{
    /// <summary>The node name devices refer to with <c>drive=</c>.</summary>
    [JsonPropertyName("node-name")]
    public required string NodeName { get; init; }

    /// <summary>The format driver; <c>raw</c>.</summary>
    [JsonPropertyName("driver")]
    public string Driver { get; init; } = "raw";

    /// <summary>Whether the node is read-only.</summary>
    [JsonPropertyName("read-only")]
    public bool ReadOnly { get; init; }

    /// <summary>Cache mode, omitted for QEMU's default.</summary>
    [JsonPropertyName("cache")]
    public BlockdevCacheArguments? Cache { get; init; }

    /// <summary>The protocol node underneath.</summary>
    [JsonPropertyName("file")]
    public required BlockdevFileArguments File { get; init; }
}
