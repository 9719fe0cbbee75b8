namespace Sealpod.AgentClient.Model;

/// <summary>The cpu controller's figures.</summary>
public sealed record CpuStats
{
    public CpuUsage? Usage { get; init; }

    public ThrottlingData? Throttling { get; init; }
}
