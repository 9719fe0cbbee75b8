namespace Sealpod.AgentClient.Oci;

/// <summary>The priority of one network interface's traffic.</summary>
public sealed record OciInterfacePriority
{
    public string Name { get; init; } = string.Empty;

    public uint Priority { get; init; }
}
