using Sealpod.Rpc;

namespace Sealpod.Runtime.Sandboxes;

public sealed partial class Sandbox
{
    private static readonly TimeSpan ExitReportTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Stops the sandbox: the VM is stopped (processes still running exit with it and their exits are
    /// reported), then every container's streams are closed and its rootfs unmounted, and the VM's files removed.
    /// Every step runs even when an earlier one fails; the failures are logged and thrown together
    /// (<see cref="AggregateException"/> of <see cref="CleanupStepFailedException"/>).
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        var cleanup = new CleanupSteps($"sandbox {Id}");
        await cleanup.RunAsync("stop the running containers", StopRunningContainersAsync).ConfigureAwait(false);
        await _stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            var exit = await _vm.StopAsync(Settings.StopGracePeriod, CancellationToken.None).ConfigureAwait(false);
            LogStopped(_logger, Id, exit.ExitCode, exit.ShutdownReason ?? "none");
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The VM's own DisposeAsync below kills what is left; a stop that failed is only worth a warning.
            LogStopFailed(_logger, Id, e.Message);
        }

        await cleanup.RunAsync("watch the VM", () => _vmWatcher).ConfigureAwait(false);
        var containers = _containers.Values.ToArray();
        _containers.Clear();
        var exits = containers.SelectMany(c => c.Processes).Where(p => p.Status != Processes.ProcessStatus.Deleted).Select(p => p.Exited);
        await cleanup.RunAsync("report the exits", async () =>
        {
            try
            {
                await Task.WhenAll(exits).WaitAsync(ExitReportTimeout).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                LogStopFailed(_logger, Id, $"some exits were not reported within {ExitReportTimeout.TotalSeconds} s");
            }
        }).ConfigureAwait(false);

        foreach (var container in containers)
        {
            await cleanup.RunAsync($"tear down container {container.Id}", () => TeardownAsync(container, removeFromGuest: false)).ConfigureAwait(false);
        }

        await cleanup.RunAsync("stop the OOM event loop", () => _oomLoop).ConfigureAwait(false);
        await cleanup.RunAsync("close the agent connection", () => _agent.DisposeAsync().AsTask()).ConfigureAwait(false);
        await cleanup.RunAsync("release the VM", () => _vm.DisposeAsync().AsTask()).ConfigureAwait(false);
        cleanup.Run("remove the host cgroups", () => RemoveHostCgroups(_hostCgroups));

        if (_portForwarder is { } portForwarder)
        {
            await cleanup.RunAsync("stop the port forwarder and remove its rules", () => portForwarder.DisposeAsync().AsTask()).ConfigureAwait(false);
        }

        // After the VM: its tap queues are closed, and the pod's interfaces get their qdiscs back.
        if (_network is { } network)
        {
            await cleanup.RunAsync("remove the pod network's taps and filters", () => network.DetachAsync(CancellationToken.None)).ConfigureAwait(false);
        }

        // After the VM and its virtiofsd are gone: nothing uses the shared directory any more.
        cleanup.Run("unmount the shared directory", () => _share?.Dispose());
        cleanup.Run($"remove {Directory}", () => DeleteDirectory(Directory));
        _stopping.Dispose();
        if (cleanup.Failures.Count > 0)
        {
            LogCleanupFailed(_logger, Id, string.Join("; ", cleanup.Failures.Select(f => f.Message)));
        }

        cleanup.ThrowIfAny();
    }

    private async Task WatchVmAsync()
    {
        VmExitInfo exit;
        try
        {
            exit = await _vm.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is ObjectDisposedException or InvalidOperationException)
        {
            return;
        }

        Volatile.Write(ref _vmExit, exit);
        if (!_stopping.IsCancellationRequested)
        {
            LogVmDied(_logger, Id, exit.ExitCode, exit.ShutdownReason ?? "none", Sealpod.Linux.IO.FileTail.Read(_vm.ConsoleLogPath));
        }

        // Processes whose exit is being waited for learn it from the failing wait; the others exit here.
        foreach (var container in _containers.Values)
        {
            foreach (var process in container.Processes)
            {
                process.OnVmExited();
            }
        }
    }

    private async Task ForwardOomEventsAsync()
    {
        while (!_stopping.IsCancellationRequested && !VmExited)
        {
            try
            {
                string containerId = await _agent.GetOomEventAsync(_stopping.Token).ConfigureAwait(false);
                if (_containers.ContainsKey(containerId))
                {
                    ProcessContext.Events.Enqueue(new TaskOom(containerId));
                }
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
                return;
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.Unimplemented)
            {
                LogNoOomEvents(_logger, Id, e.Message);
                return;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                if (_stopping.IsCancellationRequested || VmExited)
                {
                    return;
                }

                LogOomPollFailed(_logger, Id, e.Message);
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(1), _stopping.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    // The launch's failure path: best effort, the launch's own error is what the caller needs to see.
    private static void TryDeleteDirectory(string directory)
    {
        try
        {
            DeleteDirectory(directory);
        }
        catch (IOException)
        {
            // What is left is still mounted or busy; the shim's delete detaches and removes it later.
        }
    }

    // Binds of host volumes may still be mounted under the directory (a share whose cleanup failed): they are
    // detached first and nothing is ever deleted through a mount.
    private static void DeleteDirectory(string directory) => SafeTreeRemover.Remove(directory);

    [LoggerMessage(Level = LogLevel.Information, Message = "sandbox {SandboxId}: VM stopped (status {ExitCode}, reason {Reason})")]
    private static partial void LogStopped(ILogger logger, string sandboxId, int exitCode, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "sandbox {SandboxId}: stopping: {Reason}")]
    private static partial void LogStopFailed(ILogger logger, string sandboxId, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "sandbox {SandboxId}: cleanup left work undone: {Failures}")]
    private static partial void LogCleanupFailed(ILogger logger, string sandboxId, string failures);

    [LoggerMessage(Level = LogLevel.Error, Message = "sandbox {SandboxId}: the VM exited unexpectedly (status {ExitCode}, reason {Reason}); guest console tail:\n{ConsoleTail}")]
    private static partial void LogVmDied(ILogger logger, string sandboxId, int exitCode, string reason, string consoleTail);

    [LoggerMessage(Level = LogLevel.Information, Message = "sandbox {SandboxId}: the agent does not report OOM events: {Reason}")]
    private static partial void LogNoOomEvents(ILogger logger, string sandboxId, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "sandbox {SandboxId}: waiting for OOM events failed: {Reason}")]
    private static partial void LogOomPollFailed(ILogger logger, string sandboxId, string reason);
}
