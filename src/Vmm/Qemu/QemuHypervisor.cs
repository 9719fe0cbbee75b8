namespace Sealpod.Vmm.Qemu;

/// <summary>
/// The QEMU driver: one instance runs one sandbox VM. It renders the command line from the configuration and the
/// planned TEE, starts QEMU without a shell, controls it over QMP, and tracks the process to its exit through the
/// shared <see cref="VmLifecycle{TSession}"/>. Partial files by concern: start-up, launch, virtio-fs, events and exit,
/// stop, devices, logging.
/// </summary>
public sealed partial class QemuHypervisor : LifecycleHypervisor, IHypervisor, IVmSessionHandler<QemuSession>
{
    private const string Hypervisor = "QEMU";

    private readonly QemuConfig _config;
    private readonly AcceleratorProbe _probe;
    private readonly QemuHypervisorOptions _options;
    private readonly VmLifecycle<QemuSession> _lifecycle;
    private readonly SemaphoreSlim _deviceLock = new(1, 1);

    /// <summary>Creates the driver for one VM.</summary>
    /// <param name="config">The <c>[hypervisor.qemu]</c> section, annotations applied.</param>
    /// <param name="tee">The TEE and Init-Data planned for <paramref name="config"/> (<see cref="HypervisorFactory.PlanTee"/>).</param>
    /// <param name="probe">Decides KVM or TCG.</param>
    /// <param name="options">Timeouts and host facts; defaults when null.</param>
    /// <param name="logger">Where lifecycle events go.</param>
    public QemuHypervisor(QemuConfig config, TeePlan tee, AcceleratorProbe probe, QemuHypervisorOptions? options = null, ILogger<QemuHypervisor>? logger = null)
        : base("qemu", config, tee, logger)
    {
        ArgumentNullException.ThrowIfNull(probe);
        _config = config;
        _probe = probe;
        _options = options ?? new QemuHypervisorOptions();
        _lifecycle = new VmLifecycle<QemuSession>(this, Hypervisor, this, Logger, _options.TimeProvider);
    }

    /// <inheritdoc />
    public AcceleratorDecision? Accelerator => _lifecycle.Session?.Accelerator;

    /// <inheritdoc />
    public IReadOnlyList<int> HelperPids => _lifecycle.Session?.Virtiofsd is { } virtiofsd ? [virtiofsd.Pid] : [];

    /// <inheritdoc />
    public async Task<IReadOnlyList<int>> VcpuThreadIdsAsync(CancellationToken cancellationToken = default)
    {
        var qmp = RequireRunning().Qmp;
        IReadOnlyList<QmpCpuInfo> cpus = [];
        await RunCommandAsync("query-cpus-fast", async ct => cpus = await qmp.QueryCpusFastAsync(ct).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        return cpus.Select(c => c.ThreadId).Where(t => t > 0).Distinct().ToList();
    }

    /// <summary>The QMP connection of the running VM, for operations the interface does not cover (TEE measurement, secret injection).</summary>
    public QmpClient Qmp => RequireRunning().Qmp;

    /// <summary>Stops the VM if it still runs (quit, then kill), waits for the reap, and removes the VM's files.</summary>
    public ValueTask DisposeAsync() => _lifecycle.DisposeAsync();

    private protected override IVmLifecycle Lifecycle => _lifecycle;

    private QemuSession RequireRunning() => _lifecycle.RequireRunning().Session;

    private async Task RunCommandAsync(string what, Func<CancellationToken, Task> command, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.CommandTimeout);
        try
        {
            await command(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"QMP {what} did not answer within {_options.CommandTimeout.TotalSeconds:0.#} s");
        }
    }
}
