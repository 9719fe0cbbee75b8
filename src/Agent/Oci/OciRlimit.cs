namespace Sealpod.Agent.Oci;

/// <summary>One POSIX resource limit (RLIMIT_NOFILE, ...).</summary>
internal sealed record OciRlimit
{
    public required string Type { get; init; }

    public ulong Hard { get; init; }

    public ulong Soft { get; init; }
}
