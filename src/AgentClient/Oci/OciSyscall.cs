namespace Sealpod.AgentClient.Oci;

/// <summary>A seccomp rule for some system calls.</summary>
public sealed record OciSyscall
{
    public IReadOnlyList<string> Names { get; init; } = [];

    public string Action { get; init; } = string.Empty;

    /// <summary>The errno the action returns; null when the spec names none (the wire keeps the difference).</summary>
    public uint? ErrnoRet { get; init; }

    public IReadOnlyList<OciSeccompArg> Args { get; init; } = [];
}
