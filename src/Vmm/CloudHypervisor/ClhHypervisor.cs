namespace Sealpod.Vmm.CloudHypervisor;

/// <summary>
/// The Cloud Hypervisor driver: one instance runs one sandbox VM. It starts <c>cloud-hypervisor --api-socket</c>,
/// waits for vmm.ping, creates the VM from the configuration (vm.create) and boots it (vm.boot), reads where the disks
/// landed (vm.info), and reaches the agent over hybrid vsock. TDX and SEV-SNP guests are launched as planned above the
/// driver (<see cref="HypervisorFactory.PlanTee"/>), with the pod's Init-Data digest as SEV-SNP host_data. The process is
/// tracked through the shared <see cref="VmLifecycle{TSession}"/>. Partial files by concern: launch, devices, stop,
/// logging.
/// </summary>
public sealed partial class ClhHypervisor : LifecycleHypervisor, IHypervisor, IVmSessionHandler<ClhSession>
{
    private const string Hypervisor = "Cloud Hypervisor";

    private readonly CloudHypervisorConfig _config;
    private readonly ClhHypervisorOptions _options;
    private readonly VmLifecycle<ClhSession> _lifecycle;
    private readonly SemaphoreSlim _apiLock = new(1, 1);

    // 1 once vm.boot was sent: a VM started paused was created but not booted, and its first resume boots it.
    private int _booted;

    /// <summary>Creates the driver for one VM.</summary>
    /// <param name="config">The <c>[hypervisor.clh]</c> section, annotations applied.</param>
    /// <param name="tee">The TEE and Init-Data planned for <paramref name="config"/> (<see cref="HypervisorFactory.PlanTee"/>).</param>
    /// <param name="options">Timeouts and host facts; defaults when null.</param>
    /// <param name="logger">Where lifecycle events go.</param>
    public ClhHypervisor(CloudHypervisorConfig config, TeePlan tee, ClhHypervisorOptions? options = null, ILogger<ClhHypervisor>? logger = null)
        : base("clh", config, tee, logger)
    {
        _config = config;
        _options = options ?? new ClhHypervisorOptions();
        _lifecycle = new VmLifecycle<ClhSession>(this, Hypervisor, this, Logger, _options.TimeProvider);
    }

    /// <inheritdoc />
    public AcceleratorDecision? Accelerator => _lifecycle.Pid is null
        ? null
        : new AcceleratorDecision(Acceleration.Accelerator.Kvm, "Cloud Hypervisor runs on KVM only", AcceleratorDecisionSource.Override);

    /// <summary>Stops the VM if it still runs, waits for the reap, and removes the VM's files.</summary>
    public async ValueTask DisposeAsync()
    {
        await _lifecycle.DisposeAsync().ConfigureAwait(false);

        // Only now: a stop in progress may still be talking to the VMM until the process is reaped.
        _lifecycle.Session?.Api.Dispose();
        _apiLock.Dispose();
    }

    private protected override IVmLifecycle Lifecycle => _lifecycle;

    private ClhApiClient RequireRunning() => _lifecycle.RequireRunning().Session.Api;
}
