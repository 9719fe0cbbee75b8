namespace Sealpod.AgentClient.Oci;

/// <summary>The user a process runs as (runtime-spec <c>process.user</c>).</summary>
public sealed record OciUser
{
    public uint Uid { get; init; }

    public uint Gid { get; init; }

    public IReadOnlyList<uint> AdditionalGids { get; init; } = [];

    public string Username { get; init; } = string.Empty;
}
