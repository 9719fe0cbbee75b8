namespace Sealpod.AgentClient.Model;

/// <summary>The pids controller's figures.</summary>
public sealed record PidsStats
{
    public ulong Current { get; init; }

    public ulong Limit { get; init; }
}
