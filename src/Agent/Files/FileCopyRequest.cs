namespace Sealpod.Agent.Files;

/// <summary>One CopyFile chunk, translated from the wire.</summary>
internal sealed record FileCopyRequest
{
    public required string Path { get; init; }

    /// <summary>Size of the whole file; the chunk that reaches it completes the copy.</summary>
    public long FileSize { get; init; }

    /// <summary>Type (S_IFREG, S_IFDIR, S_IFLNK) and permission bits.</summary>
    public uint FileMode { get; init; }

    /// <summary>Permissions for directories created on the way.</summary>
    public uint DirectoryMode { get; init; }

    /// <summary>Owner; negative keeps the agent's.</summary>
    public int Uid { get; init; } = -1;

    public int Gid { get; init; } = -1;

    public long Offset { get; init; }

    /// <summary>File bytes at <see cref="Offset"/>, or a symlink's target.</summary>
    public ReadOnlyMemory<byte> Data { get; init; }
}
