namespace Sealpod.Config;

/// <summary><c>virtio_fs_cache</c>.</summary>
public enum VirtioFsCacheMode
{
    /// <summary><c>never</c> (also accepted: <c>none</c>, the older spelling).</summary>
    Never,

    /// <summary><c>metadata</c>.</summary>
    Metadata,

    /// <summary><c>auto</c>.</summary>
    Auto,

    /// <summary><c>always</c>.</summary>
    Always,
}
