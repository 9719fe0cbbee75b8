namespace Sealpod.AgentClient.Oci;

/// <summary>A seccomp filter (runtime-spec <c>linux.seccomp</c>).</summary>
public sealed record OciSeccomp
{
    public string DefaultAction { get; init; } = string.Empty;

    public IReadOnlyList<string> Architectures { get; init; } = [];

    public IReadOnlyList<string> Flags { get; init; } = [];

    public IReadOnlyList<OciSyscall> Syscalls { get; init; } = [];
}
