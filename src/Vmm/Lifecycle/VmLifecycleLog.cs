namespace Sealpod.Vmm.Lifecycle;

/// <summary>What <see cref="VmLifecycle{TSession}"/> logs, the same for every driver.</summary>
internal static partial class VmLifecycleLog
{
    [LoggerMessage(Level = LogLevel.Error, Message = "sandbox {SandboxId}: {Error}")]
    public static partial void StartFailed(ILogger logger, string sandboxId, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Hypervisor} pid {Pid} did not stop in time; killing it")]
    public static partial void ForcedStop(ILogger logger, string hypervisor, int pid);

    [LoggerMessage(Level = LogLevel.Debug, Message = "stopping {Hypervisor}: {Step} failed: {Error}")]
    public static partial void StopStepFailed(ILogger logger, string hypervisor, string step, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Hypervisor} pid {Pid} exited with status {ExitCode} (shutdown reason: {Reason}, killed: {Killed})")]
    public static partial void Exited(ILogger logger, string hypervisor, int pid, int exitCode, string reason, bool killed);
}
