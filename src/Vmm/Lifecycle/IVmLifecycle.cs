namespace Sealpod.Vmm.Lifecycle;

/// <summary>The session-independent face of <see cref="VmLifecycle{TSession}"/>, which <see cref="LifecycleHypervisor"/> answers from.</summary>
internal interface IVmLifecycle
{
    /// <summary>Where the instance is in its lifecycle.</summary>
    HypervisorState State { get; }

    /// <summary>The hypervisor's pid once published.</summary>
    int? Pid { get; }

    /// <summary>The published session's common part; kept after the exit and the dispose.</summary>
    IVmSession? Session { get; }

    /// <summary>Stops the VM the driver's way and returns the recorded exit.</summary>
    Task<VmExitInfo> StopAsync(TimeSpan gracePeriod, CancellationToken cancellationToken);

    /// <summary>Completes when the hypervisor has exited and been reaped.</summary>
    Task<VmExitInfo> WaitForExitAsync(CancellationToken cancellationToken);
}
