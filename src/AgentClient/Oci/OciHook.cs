namespace Sealpod.AgentClient.Oci;

/// <summary>One hook: a program to run at a lifecycle point.</summary>
public sealed record OciHook
{
    public string Path { get; init; } = string.Empty;

    public IReadOnlyList<string> Args { get; init; } = [];

    public IReadOnlyList<string> Env { get; init; } = [];

    public long Timeout { get; init; }
}
