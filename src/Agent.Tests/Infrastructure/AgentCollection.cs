namespace Sealpod.Agent.Tests.Infrastructure;

/// <summary>Tests that run containers share one agent.</summary>
[CollectionDefinition(Name)]
public sealed class AgentCollection : ICollectionFixture<AgentFixture>
{
    public const string Name = "agent";
}
