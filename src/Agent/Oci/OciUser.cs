namespace Sealpod.Agent.Oci;

/// <summary>Numeric identity of the process; user names were resolved by the host.</summary>
internal sealed record OciUser
{
    public uint Uid { get; init; }

    public uint Gid { get; init; }

    public IReadOnlyList<uint>? AdditionalGids { get; init; }
}
