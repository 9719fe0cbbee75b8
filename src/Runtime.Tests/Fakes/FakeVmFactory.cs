using Microsoft.Extensions.Logging;

namespace Sealpod.Runtime.Tests.Fakes;

/// <summary>
/// Hands <see cref="Sandbox.LaunchAsync"/> a <see cref="FakeHypervisor"/> and a <see cref="FakeAgent"/> and records what
/// it was asked for. A fake because these tests are about the sandbox's own launch logic (what it boots, what it sends,
/// what it undoes on failure), which a real guest would only slow down and make flaky; tests/vm-agent boots the real one.
/// </summary>
internal sealed class FakeVmFactory(FakeHypervisor vm, FakeAgent agent) : ISandboxVmFactory
{
    public ConcurrentQueue<(HypervisorConfig Config, HypervisorFactoryOptions Options)> Created { get; } = new();

    public ConcurrentQueue<AgentConnectOptions> Dialed { get; } = new();

    /// <summary>Thrown instead of connecting, to test an agent that never answers.</summary>
    public Exception? DialFailure { get; init; }

    public IHypervisor CreateHypervisor(HypervisorConfig config, HypervisorFactoryOptions options)
    {
        Created.Enqueue((config, options));
        return vm;
    }

    public Task<IAgent> ConnectAgentAsync(AgentConnectOptions options, ILogger logger, CancellationToken cancellationToken)
    {
        Dialed.Enqueue(options);
        return DialFailure is null ? Task.FromResult<IAgent>(agent) : Task.FromException<IAgent>(DialFailure);
    }
}
