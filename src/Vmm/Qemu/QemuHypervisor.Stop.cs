using Sealpod.Vmm.Qemu.Qmp;

namespace Sealpod.Vmm.Qemu;

public sealed partial class QemuHypervisor
{
    /// <inheritdoc />
    public async Task<VmExitInfo> StopAsync(TimeSpan gracePeriod, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(gracePeriod, TimeSpan.Zero);
        QemuProcess? process = null;
        QmpClient? qmp = null;
        lock (_gate)
        {
            switch (_state)
            {
                case HypervisorState.Exited:
                    break;
                case HypervisorState.Running:
                case HypervisorState.Stopping:
                    _state = HypervisorState.Stopping;
                    process = _process!;
                    qmp = _qmp!;
                    break;
                case HypervisorState.Disposed:
                    throw new ObjectDisposedException(nameof(QemuHypervisor));
                default:
                    throw new InvalidOperationException($"cannot stop a VM that is {_state}");
            }
        }

        return process is null || qmp is null
            ? await _exit.Task.ConfigureAwait(false)
            : await StopCoreAsync(process, qmp, gracePeriod, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// ACPI power-off (when there is a grace period and the vCPUs run), then <c>quit</c>, then
    /// SIGKILL; each step only if the previous one did not end the process in time. Cancellation
    /// skips straight to SIGKILL: whatever happens, the process is reaped before this returns.
    /// </summary>
    private async Task<VmExitInfo> StopCoreAsync(QemuProcess process, QmpClient qmp, TimeSpan gracePeriod, CancellationToken cancellationToken)
    {
        try
        {
            if (gracePeriod > TimeSpan.Zero && !process.HasExited
                && await PowerdownAsync(process, qmp, gracePeriod, cancellationToken).ConfigureAwait(false))
            {
                return await _exit.Task.ConfigureAwait(false);
            }

            if (!process.HasExited && await QuitAsync(process, qmp, cancellationToken).ConfigureAwait(false))
            {
                return await _exit.Task.ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            process.Kill();
            await _exit.Task.ConfigureAwait(false);
            throw;
        }

        if (!process.HasExited)
        {
            LogForcedStop(_logger, process.Pid);
            process.Kill();
        }

        return await _exit.Task.ConfigureAwait(false);
    }

    private async Task<bool> PowerdownAsync(QemuProcess process, QmpClient qmp, TimeSpan gracePeriod, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(gracePeriod);
        try
        {
            // A guest whose vCPUs are stopped cannot act on the power button; waiting would only burn the grace period.
            var status = await qmp.QueryStatusAsync(deadline.Token).ConfigureAwait(false);
            if (!status.Running)
            {
                LogPowerdownSkipped(_logger, process.Pid, status.Status);
                return false;
            }

            LogPowerdown(_logger, process.Pid, gracePeriod.TotalSeconds);
            await qmp.SystemPowerdownAsync(deadline.Token).ConfigureAwait(false);
            await process.Exited.WaitAsync(deadline.Token).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return process.HasExited;
        }
        catch (Exception ex) when (ex is QmpException or QmpConnectionClosedException)
        {
            LogStopStepFailed(_logger, "system_powerdown", ex.Message);
            return await WaitBrieflyAsync(process, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<bool> QuitAsync(QemuProcess process, QmpClient qmp, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_options.QuitTimeout);
        try
        {
            await qmp.QuitAsync(deadline.Token).ConfigureAwait(false);
            await process.Exited.WaitAsync(deadline.Token).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return process.HasExited;
        }
        catch (Exception ex) when (ex is QmpException or QmpConnectionClosedException)
        {
            LogStopStepFailed(_logger, "quit", ex.Message);
            return await WaitBrieflyAsync(process, cancellationToken).ConfigureAwait(false);
        }
    }

    // QMP gone usually means QEMU is already on its way out; give it the quit budget to finish.
    private async Task<bool> WaitBrieflyAsync(QemuProcess process, CancellationToken cancellationToken)
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
