namespace Sealpod.Runtime.Sandboxes;

/// <summary>
/// Where a sandbox gets its VM and its agent connection. Production uses <see cref="SandboxVmFactory"/> (the configured
/// hypervisor driver, the Kata agent client); the seam exists so the sandbox's own launch logic (what it boots, what
/// it sends, what it cleans up when a step fails) can be tested without a guest.
/// </summary>
public interface ISandboxVmFactory
{
    /// <summary>The hypervisor driver for <paramref name="config"/>, not started yet.</summary>
    IHypervisor CreateHypervisor(HypervisorConfig config, HypervisorFactoryOptions options);

    /// <summary>Dials the guest agent of a started VM.</summary>
    Task<IAgent> ConnectAgentAsync(AgentConnectOptions options, ILogger logger, CancellationToken cancellationToken);
}
