namespace Sealpod.AgentClient.Model;

/// <summary>A kernel module the agent loads when it creates the sandbox (<c>[agent.kata] kernel_modules</c>).</summary>
public sealed record KernelModule
{
    public string Name { get; init; } = string.Empty;

    public IReadOnlyList<string> Parameters { get; init; } = [];
}
