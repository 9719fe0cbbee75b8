namespace Sealpod.Vmm.Qemu.Qmp;

/// <summary>The <c>cache</c> member of a <c>blockdev-add</c>.</summary>
public sealed record BlockdevCacheArguments
{
    /// <summary>Bypass the host page cache.</summary>
    [JsonPropertyName("direct")]
    public bool Direct { get; init; }

    /// <summary>Ignore guest flush requests.</summary>
    [JsonPropertyName("no-flush")]
    public bool NoFlush { get; init; }
}
