namespace Sealpod.Runtime.Sharing;

/// <summary>What a bind mount's host source is, after following a symbolic link as mount(2) would.</summary>
public enum HostTreeKind
{
    /// <summary>It does not exist or cannot be read.</summary>
    Missing,

    /// <summary>A regular file.</summary>
    File,

    /// <summary>A directory.</summary>
    Directory,

    /// <summary>A socket, FIFO or device node: nothing a copy could reproduce.</summary>
    Other,
}
