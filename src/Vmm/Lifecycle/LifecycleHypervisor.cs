namespace Sealpod.Vmm.Lifecycle;

/// <summary>
/// The <see cref="IHypervisor"/> members every driver answers the same way from its <see cref="VmLifecycle{TSession}"/>
/// and session: state, pid, log paths, agent endpoint, the disks it attached, stop and exit; and what every driver is
/// made with (its section, the planned TEE, a logger). The driver adds what is its own (start, devices, accelerator,
/// dispose).
/// </summary>
public abstract class LifecycleHypervisor
{
    /// <param name="name">The driver's configuration name.</param>
    /// <param name="config">The driver's section, checked here; the driver keeps it typed.</param>
    /// <param name="tee">The TEE and Init-Data planned for <paramref name="config"/> (<see cref="HypervisorFactory.PlanTee"/>).</param>
    /// <param name="logger">Where lifecycle events go; none when null.</param>
    private protected LifecycleHypervisor(string name, object config, TeePlan tee, ILogger? logger)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(tee);
        Name = name;
        PlannedTee = tee;
        Logger = logger ?? NullLogger.Instance;
    }

    /// <inheritdoc cref="IHypervisor.Name" />
    public string Name { get; }

    /// <inheritdoc cref="IHypervisor.State" />
    public HypervisorState State => Lifecycle.State;

    /// <inheritdoc cref="IHypervisor.Pid" />
    public int? Pid => Lifecycle.Pid;

    /// <inheritdoc cref="IHypervisor.ConsoleLogPath" />
    public string? ConsoleLogPath => Lifecycle.Session?.Files.ConsoleLog;

    /// <inheritdoc cref="IHypervisor.HypervisorLogPath" />
    public string? HypervisorLogPath => Lifecycle.Session?.Files.HypervisorLog;

    /// <inheritdoc cref="IHypervisor.AgentEndpoint" />
    public AgentEndpoint? AgentEndpoint => Lifecycle.Session?.AgentEndpoint;

    /// <inheritdoc cref="IHypervisor.BlockDevices" />
    public IReadOnlyCollection<BlockDeviceAttachment> BlockDevices => Attachments.Values.ToArray();

    /// <inheritdoc cref="IHypervisor.Capabilities" />
    public HypervisorCapabilities Capabilities => HypervisorCapabilities.PauseResume | HypervisorCapabilities.BlockDeviceHotplug;

    /// <summary>The disks attached to the running VM, by device id: at boot and hotplugged.</summary>
    private protected ConcurrentDictionary<string, BlockDeviceAttachment> Attachments { get; } = new(StringComparer.Ordinal);

    private protected TeePlan PlannedTee { get; }

    private protected ILogger Logger { get; }

    private protected abstract IVmLifecycle Lifecycle { get; }

    /// <inheritdoc cref="IHypervisor.StopAsync" />
    public Task<VmExitInfo> StopAsync(TimeSpan gracePeriod, CancellationToken cancellationToken = default) => Lifecycle.StopAsync(gracePeriod, cancellationToken);

    /// <inheritdoc cref="IHypervisor.WaitForExitAsync" />
    public Task<VmExitInfo> WaitForExitAsync(CancellationToken cancellationToken = default) => Lifecycle.WaitForExitAsync(cancellationToken);
}
