namespace Sealpod.Config;

/// <summary><c>shared_fs</c>: how container files reach the guest.</summary>
public enum SharedFs
{
    /// <summary><c>virtio-fs</c> (Kata's default outside confidential templates).</summary>
    VirtioFs,

    /// <summary><c>virtio-fs-nydus</c>.</summary>
    VirtioFsNydus,

    /// <summary><c>virtio-9p</c>.</summary>
    Virtio9p,

    /// <summary><c>none</c>: nothing is shared; files are copied and images pulled in the guest (confidential templates).</summary>
    None,
}
