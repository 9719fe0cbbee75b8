namespace Sealpod.Vmm.Qemu;

public sealed partial class QemuHypervisor
{
    // device id -> waiter for its DEVICE_DELETED.
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _deletionWaiters = new(StringComparer.Ordinal);

    // DEVICE_DELETED events nobody waited for (an unplug that timed out and completed later).
    private readonly ConcurrentDictionary<string, byte> _unclaimedDeletions = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public async Task<BlockDeviceAttachment> HotplugBlockDeviceAsync(BlockDevice device, CancellationToken cancellationToken = default)
    {
        QemuDeviceLayout.Validate(device);
        return await UnderDeviceLockAsync(async (qmp, layout) =>
        {
            var placement = layout.Place(device);
            var backend = QemuCommandLineFactory.BackendOptions(_config);
            await HotplugStepAsync(device.Id, "blockdev-add", ct => qmp.BlockdevAddAsync(placement.ToBlockdevAdd(backend), ct), () => Task.CompletedTask, layout, cancellationToken)
                .ConfigureAwait(false);
            await HotplugStepAsync(device.Id, "device_add", ct => qmp.DeviceAddAsync(placement.ToDeviceAdd(), ct), () => TryBlockdevDelAsync(qmp, placement.NodeName), layout, cancellationToken)
                .ConfigureAwait(false);

            var attachment = new BlockDeviceAttachment(device, placement.Driver, placement.GuestAddress, Hotplugged: true);
            Attachments[device.Id] = attachment;
            LogHotplugged(Logger, device.Id, device.Path, placement.Driver, placement.GuestAddress.ToString());
            return attachment;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task UnplugBlockDeviceAsync(string deviceId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(deviceId);
        await UnderDeviceLockAsync(async (qmp, layout) =>
        {
            var placement = layout.Find(deviceId) ?? throw new HypervisorException($"block device '{deviceId}' is not attached");
            var deleted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _deletionWaiters[placement.DeviceId] = deleted;
            try
            {
                if (_unclaimedDeletions.TryRemove(placement.DeviceId, out _))
                {
                    deleted.TrySetResult();
                }
                else
                {
                    await DeviceDelAsync(qmp, placement.DeviceId, deleted, cancellationToken).ConfigureAwait(false);
                }

                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(_options.UnplugTimeout);
                try
                {
                    await deleted.Task.WaitAsync(timeout.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    throw new HypervisorException(
                        $"the guest did not release block device '{deviceId}' within {_options.UnplugTimeout.TotalSeconds:0.#} s of device_del; it stays attached");
                }
            }
            finally
            {
                _deletionWaiters.TryRemove(placement.DeviceId, out _);
            }

            await RunCommandAsync("blockdev-del", ct => qmp.BlockdevDelAsync(placement.NodeName, ct), cancellationToken).ConfigureAwait(false);
            layout.Release(deviceId);
            Attachments.TryRemove(deviceId, out _);
            LogUnplugged(Logger, deviceId);
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public Task PauseAsync(CancellationToken cancellationToken = default)
    {
        var qmp = RequireRunning().Qmp;
        return RunCommandAsync("stop", qmp.StopAsync, cancellationToken);
    }

    /// <inheritdoc />
    public Task ResumeAsync(CancellationToken cancellationToken = default)
    {
        var qmp = RequireRunning().Qmp;
        return RunCommandAsync("cont", qmp.ContinueAsync, cancellationToken);
    }

    private async Task DeviceDelAsync(QmpClient qmp, string qemuDeviceId, TaskCompletionSource deleted, CancellationToken cancellationToken)
    {
        try
        {
            await RunCommandAsync("device_del", ct => qmp.DeviceDelAsync(qemuDeviceId, ct), cancellationToken).ConfigureAwait(false);
        }
        catch (QmpException ex) when (ex.ErrorClass == "DeviceNotFound")
        {
            // Already gone (an earlier unplug finished after we stopped waiting): nothing left to release.
            deleted.TrySetResult();
        }
    }

    private void OnDeviceDeleted(string device)
    {
        if (_deletionWaiters.TryGetValue(device, out var waiter))
        {
            waiter.TrySetResult();
        }
        else
        {
            _unclaimedDeletions[device] = 0;
        }
    }

    private void FailPendingUnplugs()
    {
        foreach (var waiter in _deletionWaiters.Values)
        {
            waiter.TrySetException(new HypervisorException("the VM exited while a block device was being unplugged"));
        }
    }

    // Device changes are serialised: the layout's slots and QEMU's node names must not be handed out twice.
    private async Task<T> UnderDeviceLockAsync<T>(Func<QmpClient, QemuDeviceLayout, Task<T>> change, CancellationToken cancellationToken)
    {
        await _deviceLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var session = RequireRunning();
            return await change(session.Qmp, session.Layout).ConfigureAwait(false);
        }
        finally
        {
            _deviceLock.Release();
        }
    }

    private Task UnderDeviceLockAsync(Func<QmpClient, QemuDeviceLayout, Task> change, CancellationToken cancellationToken) =>
        UnderDeviceLockAsync(
            async (qmp, layout) =>
            {
                await change(qmp, layout).ConfigureAwait(false);
                return true;
            },
            cancellationToken);

    /// <summary>One QMP command of a hotplug; when it fails, <paramref name="rollback"/> undoes the steps before it and the slot is released.</summary>
    private async Task HotplugStepAsync(
        string deviceId, string command, Func<CancellationToken, Task> call, Func<Task> rollback, QemuDeviceLayout layout, CancellationToken cancellationToken)
    {
        try
        {
            await RunCommandAsync(command, call, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            await rollback().ConfigureAwait(false);
            layout.Release(deviceId);
            if (ex is OperationCanceledException)
            {
                throw;
            }

            throw HotplugError(deviceId, ex);
        }
    }

    private async Task TryBlockdevDelAsync(QmpClient qmp, string nodeName)
    {
        try
        {
            await RunCommandAsync("blockdev-del", ct => qmp.BlockdevDelAsync(nodeName, ct), CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is QmpException or QmpConnectionClosedException or TimeoutException)
        {
            LogRollbackFailed(Logger, nodeName, ex.Message);
        }
    }

    private static HypervisorException HotplugError(string deviceId, Exception cause) =>
        new($"cannot hotplug block device '{deviceId}': {cause.Message}", cause);
}
