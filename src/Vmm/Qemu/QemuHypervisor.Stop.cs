namespace Sealpod.Vmm.Qemu;

public sealed partial class QemuHypervisor
{
    /// <summary>
    /// ACPI power-off (when there is a grace period and the vCPUs run), then <c>quit</c>; each step
    /// only if the previous one did not end the process in time. SIGKILL after that, and on
    /// cancellation, is the lifecycle's, so the process is reaped whatever happens.
    /// </summary>
    async Task IVmSessionHandler<QemuSession>.StopAsync(VmProcess process, QemuSession session, TimeSpan gracePeriod, CancellationToken cancellationToken)
    {
        if (gracePeriod > TimeSpan.Zero && !process.HasExited
            && await PowerdownAsync(process, session.Qmp, gracePeriod, cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        if (!process.HasExited)
        {
            await QuitAsync(process, session.Qmp, cancellationToken).ConfigureAwait(false);
        }
    }

    private Task<bool> PowerdownAsync(VmProcess process, QmpClient qmp, TimeSpan gracePeriod, CancellationToken cancellationToken) =>
        StopStepAsync(process, "system_powerdown", gracePeriod, async deadline =>
        {
            // A guest whose vCPUs are stopped cannot act on the power button; waiting would only burn the grace period.
            var status = await qmp.QueryStatusAsync(deadline).ConfigureAwait(false);
            if (!status.Running)
            {
                LogPowerdownSkipped(Logger, process.Pid, status.Status);
                return false;
            }

            LogPowerdown(Logger, process.Pid, gracePeriod.TotalSeconds);
            await qmp.SystemPowerdownAsync(deadline).ConfigureAwait(false);
            return true;
        }, cancellationToken);

    private Task<bool> QuitAsync(VmProcess process, QmpClient qmp, CancellationToken cancellationToken) =>
        StopStepAsync(process, "quit", _options.QuitTimeout, async deadline =>
        {
            await qmp.QuitAsync(deadline).ConfigureAwait(false);
            return true;
        }, cancellationToken);

    /// <summary>
    /// One step of a stop within <paramref name="budget"/>: <paramref name="ask"/> sends the request (false: the step
    /// does not apply), then the process is given the rest of the budget to exit. True once it has exited.
    /// </summary>
    private async Task<bool> StopStepAsync(VmProcess process, string step, TimeSpan budget, Func<CancellationToken, Task<bool>> ask, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(budget);
        try
        {
            if (!await ask(deadline.Token).ConfigureAwait(false))
            {
                return false;
            }

            await process.Exited.WaitAsync(deadline.Token).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return process.HasExited;
        }
        catch (Exception ex) when (ex is QmpException or QmpConnectionClosedException)
        {
            VmLifecycleLog.StopStepFailed(Logger, Hypervisor, step, ex.Message);
            return await WaitBrieflyAsync(process, cancellationToken).ConfigureAwait(false);
        }
    }

    // QMP gone usually means QEMU is already on its way out; give it the quit budget to finish.
    private async Task<bool> WaitBrieflyAsync(VmProcess process, CancellationToken cancellationToken)
    {
        try
        {
            await process.Exited.WaitAsync(_options.QuitTimeout, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }
}
