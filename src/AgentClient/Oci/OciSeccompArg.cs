namespace Sealpod.AgentClient.Oci;

/// <summary>A condition on one argument of a seccomp rule.</summary>
public sealed record OciSeccompArg
{
    public ulong Index { get; init; }

    public ulong Value { get; init; }

    public ulong ValueTwo { get; init; }

    public string Op { get; init; } = string.Empty;
}
