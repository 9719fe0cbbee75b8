namespace Sealpod.Agent.Oci;

/// <summary>A seccomp rule for a group of system calls.</summary>
internal sealed record OciSyscall
{
    public required IReadOnlyList<string> Names { get; init; }

    public required string Action { get; init; }

    [JsonPropertyName("errnoRet")]
    public uint? ErrnoRet { get; init; }

    public IReadOnlyList<OciSeccompArg>? Args { get; init; }
}
