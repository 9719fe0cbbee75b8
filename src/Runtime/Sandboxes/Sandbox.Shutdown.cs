namespace Sealpod.Runtime.Sandboxes;

public sealed partial class Sandbox
{
    private const uint SigTerm = 15;
    private const uint SigKill = 9;

    // After SIGKILL the agent reaps at once; this only bounds a guest that stopped answering.
    private static readonly TimeSpan KillWait = TimeSpan.FromSeconds(3);

    /// <summary>
    /// A sandbox stopped while containers still run (SIGTERM to the shim, containerd's Shutdown with now, the pod's
    /// own container deleted first) gives the guest time to stop them, as a node's shutdown would: SIGTERM to every
    /// running container's init, up to <see cref="SandboxSettings.ContainerStopTimeout"/> for them to exit, then SIGKILL.
    /// Their real exit statuses are then what containerd is told, not the VM's end. A guest that does not answer costs
    /// at most the timeout plus <see cref="KillWait"/>; the VM is stopped after this whatever happened.
    /// </summary>
    private async Task StopRunningContainersAsync()
    {
        var running = _containers.Values.Select(c => c.Init).Where(p => p.Status == ProcessStatus.Running).ToList();
        if (running.Count == 0 || VmExited)
        {
            return;
        }

        LogStoppingContainers(_logger, Id, running.Count, Settings.ContainerStopTimeout.TotalSeconds);
        if (!await SignalAndWaitAsync(running, SigTerm, Settings.ContainerStopTimeout).ConfigureAwait(false))
        {
            var left = running.Where(p => !p.Exited.IsCompleted).ToList();
            LogKillingContainers(_logger, Id, string.Join(", ", left.Select(p => p.ContainerId)));
            // Never longer for SIGKILL than the containers had for SIGTERM.
            await SignalAndWaitAsync(left, SigKill, Settings.ContainerStopTimeout < KillWait ? Settings.ContainerStopTimeout : KillWait).ConfigureAwait(false);
        }
    }

    // True when every process exited within the wait.
    private async Task<bool> SignalAndWaitAsync(IReadOnlyList<InitProcess> processes, uint signal, TimeSpan wait)
    {
        using var deadline = new CancellationTokenSource(wait);
        try
        {
            // all = true: the container's every process, as containerd's kill --all; the init's exit ends the rest anyway.
            await Task.WhenAll(processes.Select(p => _agent.SignalProcessAsync(p.ContainerId, string.Empty, signal, deadline.Token))).ConfigureAwait(false);
            await Task.WhenAll(processes.Select(p => p.Exited)).WaitAsync(deadline.Token).ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A process that exited between the look and the signal is NotFound in the guest: what matters is the wait.
            if (processes.All(p => p.Exited.IsCompleted))
            {
                return true;
            }

            LogStopStepFailed(_logger, Id, signal, e.Message);
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "sandbox {SandboxId}: stopping {Count} running container(s) first: SIGTERM, {Seconds} s to exit")]
    private static partial void LogStoppingContainers(ILogger logger, string sandboxId, int count, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "sandbox {SandboxId}: SIGKILL to containers that outlived SIGTERM: {Containers}")]
    private static partial void LogKillingContainers(ILogger logger, string sandboxId, string containers);

    [LoggerMessage(Level = LogLevel.Warning, Message = "sandbox {SandboxId}: stopping the containers with signal {Signal}: {Reason}")]
    private static partial void LogStopStepFailed(ILogger logger, string sandboxId, uint signal, string reason);
}
