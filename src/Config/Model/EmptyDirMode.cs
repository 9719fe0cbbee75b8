namespace Sealpod.Config;

/// <summary><c>emptydir_mode</c>: how Kubernetes emptyDir volumes are provided.</summary>
public enum EmptyDirMode
{
    /// <summary><c>shared-fs</c> (Kata's default).</summary>
    SharedFs,

    /// <summary><c>block-encrypted</c> (CoCo templates).</summary>
    BlockEncrypted,

    /// <summary><c>block-plain</c>.</summary>
    BlockPlain,
}
