namespace Sealpod.AgentClient.Model;

/// <summary>
/// One piece of a host file, directory or symbolic link written into the guest (Kata's CopyFile). A file larger than
/// one request travels as chunks at increasing <see cref="Offset"/>s, each naming the whole <see cref="FileSize"/>;
/// a link's <see cref="Data"/> is its target. <see cref="FileMode"/> keeps the type bits; <see cref="DirMode"/> is
/// the mode of parent directories the agent creates on the way.
/// </summary>
public sealed record CopyFileRequest
{
    public required string Path { get; init; }

    public long FileSize { get; init; }

    public uint FileMode { get; init; }

    public uint DirMode { get; init; }

    public int Uid { get; init; }

    public int Gid { get; init; }

    public long Offset { get; init; }

    public ReadOnlyMemory<byte> Data { get; init; }
}
