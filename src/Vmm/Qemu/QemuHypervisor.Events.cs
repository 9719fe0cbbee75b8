namespace Sealpod.Vmm.Qemu;

public sealed partial class QemuHypervisor
{
    private static readonly TimeSpan EventDrainTimeout = TimeSpan.FromSeconds(2);

    private volatile string? _shutdownReason;

    /// <summary>After QEMU is reaped: virtiofsd, QMP and the sockets go; the reason is QEMU's last SHUTDOWN event.</summary>
    async Task<string?> IVmSessionHandler<QemuSession>.ReleaseAfterExitAsync(VmProcess process, QemuSession session, int exitCode)
    {
        // virtiofsd serves this VM only: it goes (and is reaped) with it, whether QEMU was stopped or died.
        if (session.Virtiofsd is not null)
        {
            await session.Virtiofsd.DisposeAsync().ConfigureAwait(false);
        }

        // QEMU's exit closed the socket, but its last events (the SHUTDOWN with the reason) may still be unread: let the
        // receive loop reach EOF on its own first, since disposing stops it at once and would drop them. Bounded, so a
        // socket someone else still holds open cannot stall the release.
        await Task.WhenAny(session.Events, Task.Delay(EventDrainTimeout, _options.TimeProvider)).ConfigureAwait(false);
        await session.Qmp.DisposeAsync().ConfigureAwait(false);
        await session.Events.ConfigureAwait(false);
        session.Files.DeleteRuntimeFiles();
        FailPendingUnplugs();
        return _shutdownReason;
    }

    private async Task PumpEventsAsync(QmpClient qmp, int pid)
    {
        try
        {
            await foreach (var qmpEvent in qmp.Events.ReadAllAsync().ConfigureAwait(false))
            {
                OnEvent(qmpEvent, pid);
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogEventPumpFailed(Logger, ex.Message);
        }
    }

    private void OnEvent(QmpEvent qmpEvent, int pid)
    {
        switch (qmpEvent.Name)
        {
            case QmpEventNames.Shutdown:
                _shutdownReason = qmpEvent.GetDataString("reason") ?? "unknown";
                LogShutdownEvent(Logger, pid, _shutdownReason);
                break;
            case QmpEventNames.DeviceDeleted:
                if (qmpEvent.GetDataString("device") is { } device)
                {
                    OnDeviceDeleted(device);
                }

                break;
            case QmpEventNames.GuestPanicked:
                LogGuestPanicked(Logger, pid);
                break;
            default:
                LogVmEvent(Logger, pid, qmpEvent.Name);
                break;
        }
    }
}
