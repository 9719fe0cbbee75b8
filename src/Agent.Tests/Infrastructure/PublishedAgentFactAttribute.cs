namespace Sealpod.Agent.Tests.Infrastructure;

/// <summary>A fact that needs the published agent binary named by <see cref="Variable"/>; skipped without it.</summary>
public sealed class PublishedAgentFactAttribute : FactAttribute
{
    public const string Variable = "SEALPOD_AGENT_BINARY";

    public PublishedAgentFactAttribute()
    {
        var binary = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrEmpty(binary) || !File.Exists(binary))
        {
            Skip = $"set {Variable} to the published sealpod-agent (make publishes build/agent/sealpod-agent)";
        }
    }
}
