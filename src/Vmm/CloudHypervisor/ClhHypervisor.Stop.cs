namespace Sealpod.Vmm.CloudHypervisor;

public sealed partial class ClhHypervisor
{
    /// <summary>The VMM exited after the driver asked it to (vm.shutdown, vmm.shutdown), as QEMU's <c>host-qmp-quit</c>.</summary>
    internal const string HostShutdownReason = "host-api-shutdown";

    /// <summary>The VMM exited cleanly without being asked to quit: the guest powered off (on its own or at the power button).</summary>
    internal const string GuestShutdownReason = "guest-shutdown";

    // Set once vm.shutdown or vmm.shutdown was accepted.
    private volatile bool _hostShutdownRequested;

    /// <summary>Power button and a grace period, then vm.shutdown and vmm.shutdown (the lifecycle kills what still runs).</summary>
    async Task IVmSessionHandler<ClhSession>.StopAsync(VmProcess process, ClhSession session, TimeSpan gracePeriod, CancellationToken cancellationToken)
    {
        var api = session.Api;
        if (gracePeriod > TimeSpan.Zero && !process.HasExited && await TryAsync("vm.power-button", api.PowerButtonAsync).ConfigureAwait(false))
        {
            await Task.WhenAny(process.Exited, Task.Delay(gracePeriod, cancellationToken)).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
        }

        if (!process.HasExited)
        {
            var vm = await TryAsync("vm.shutdown", api.ShutdownVmAsync).ConfigureAwait(false);
            var vmm = await TryAsync("vmm.shutdown", api.ShutdownVmmAsync).ConfigureAwait(false);
            _hostShutdownRequested |= vm || vmm;
            await Task.WhenAny(process.Exited, Task.Delay(_options.QuitTimeout, CancellationToken.None)).ConfigureAwait(false);
        }
    }

    /// <summary>After the VMM is reaped: its sockets go; the reason is what the driver knows of how it ended.</summary>
    Task<string?> IVmSessionHandler<ClhSession>.ReleaseAfterExitAsync(VmProcess process, ClhSession session, int exitCode)
    {
        session.Files.DeleteRuntimeFiles();
        return Task.FromResult(ShutdownReason(exitCode, process.KillRequested, _hostShutdownRequested));
    }

    /// <summary>
    /// Why a Cloud Hypervisor VM ended. The VMM reports no cause of its own (QEMU sends a SHUTDOWN event with one), so
    /// the reason is inferred from what the driver did: killed has none (as a killed QEMU), asked to shut down is
    /// <see cref="HostShutdownReason"/>, a clean exit otherwise is the guest powering off (the VMM exits when its guest
    /// does), and any other exit has none.
    /// </summary>
    internal static string? ShutdownReason(int exitCode, bool killed, bool hostShutdownRequested) =>
        killed ? null
        : hostShutdownRequested ? HostShutdownReason
        : exitCode == 0 ? GuestShutdownReason
        : null;

    private async Task<bool> TryAsync(string step, Func<CancellationToken, Task> call)
    {
        try
        {
            await call(CancellationToken.None).ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (e is ClhApiException or HttpRequestException or TimeoutException or IOException)
        {
            VmLifecycleLog.StopStepFailed(Logger, Hypervisor, step, e.Message);
            return false;
        }
    }
}
