namespace Sealpod.Agent.Oci;

/// <summary>A seccomp profile, passed through to the runtime unchanged.</summary>
internal sealed record OciSeccomp
{
    public required string DefaultAction { get; init; }

    public IReadOnlyList<string>? Architectures { get; init; }

    public IReadOnlyList<string>? Flags { get; init; }

    public IReadOnlyList<OciSyscall>? Syscalls { get; init; }
}
