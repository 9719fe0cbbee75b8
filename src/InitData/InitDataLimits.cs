namespace Sealpod.InitData;

/// <summary>
/// Size bounds. Init-Data carries a few small config files; the bounds stop a crafted annotation or disk (a gzip bomb,
/// a length field of 2^60) from exhausting the runtime's or the guest agent's memory.
/// </summary>
public static class InitDataLimits
{
    /// <summary>Largest inflated TOML accepted: 4 MiB.</summary>
    public const int MaxTomlBytes = 4 * 1024 * 1024;

    /// <summary>Largest gzip payload accepted (annotation or disk): 4 MiB.</summary>
    public const int MaxCompressedBytes = 4 * 1024 * 1024;
}
