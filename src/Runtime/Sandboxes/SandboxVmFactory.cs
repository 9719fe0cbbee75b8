namespace Sealpod.Runtime.Sandboxes;

/// <summary>The real VM and agent: <see cref="HypervisorFactory"/> and <see cref="AgentConnector"/>.</summary>
public sealed class SandboxVmFactory : ISandboxVmFactory
{
    /// <summary>The factory every sandbox uses unless told otherwise (it holds no state).</summary>
    public static SandboxVmFactory Default { get; } = new();

    public IHypervisor CreateHypervisor(HypervisorConfig config, HypervisorFactoryOptions options) => HypervisorFactory.Create(config, options);

    public Task<IAgent> ConnectAgentAsync(AgentConnectOptions options, ILogger logger, CancellationToken cancellationToken) =>
        AgentConnector.ConnectAsync(options, logger, cancellationToken);
}
