namespace Sealpod.Vmm.Lifecycle;

/// <summary>
/// The driver's half of <see cref="VmLifecycle{TSession}"/>: how its hypervisor is stopped and what goes once the
/// process is gone. The lifecycle decides when; the driver knows how.
/// </summary>
/// <typeparam name="TSession">What the driver holds while its VM runs (control connection, device layout ...).</typeparam>
internal interface IVmSessionHandler<in TSession>
{
    /// <summary>
    /// Stops the VM the driver's way (ask the guest within <paramref name="gracePeriod"/>, then ask the hypervisor);
    /// the lifecycle kills what is still running when this returns. Cancellation may end it early: the lifecycle then kills.
    /// </summary>
    Task StopAsync(VmProcess process, TSession session, TimeSpan gracePeriod, CancellationToken cancellationToken);

    /// <summary>
    /// Runs once the hypervisor has been reaped, however it ended: releases what served it (control connection,
    /// daemons, sockets) and returns why the VM ended (<see cref="VmExitInfo.ShutdownReason"/>), or null.
    /// </summary>
    Task<string?> ReleaseAfterExitAsync(VmProcess process, TSession session, int exitCode);
}
