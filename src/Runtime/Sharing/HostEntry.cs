namespace Sealpod.Runtime.Sharing;

/// <summary>
/// One file, directory or symbolic link of a host tree, as lstat(2) saw it. <paramref name="RelativePath"/> is
/// empty for the tree's root and '/'-separated below it; <paramref name="Mode"/> keeps the type bits, which the
/// agent's CopyFile reads to tell the three apart.
/// </summary>
public sealed record HostEntry(string RelativePath, uint Mode, uint Uid, uint Gid, long Size, string? LinkTarget = null)
{
    /// <summary>
    /// A regular file's bytes, read through the descriptor the walk opened: the copy never opens the host path again,
    /// so nothing swapped in after the walk (a link to another host file, a FIFO) is read. Null when the tree's byte
    /// budget was spent before this file.
    /// </summary>
    public ReadOnlyMemory<byte>? Content { get; init; }

    public const uint TypeMask = 0xF000;
    public const uint DirectoryType = 0x4000;
    public const uint RegularFileType = 0x8000;
    public const uint SymbolicLinkType = 0xA000;

    public bool IsDirectory => (Mode & TypeMask) == DirectoryType;

    public bool IsRegularFile => (Mode & TypeMask) == RegularFileType;

    public bool IsSymbolicLink => (Mode & TypeMask) == SymbolicLinkType;
}
