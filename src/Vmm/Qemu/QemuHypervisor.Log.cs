namespace Sealpod.Vmm.Qemu;

public sealed partial class QemuHypervisor
{
    [LoggerMessage(Level = LogLevel.Information, Message = "sandbox {SandboxId}: starting QEMU with {Accelerator} ({Reason}): {Binary} {Arguments}")]
    private static partial void LogLaunching(ILogger logger, string sandboxId, string accelerator, string reason, string binary, string arguments);

    [LoggerMessage(Level = LogLevel.Information, Message = "sandbox {SandboxId}: QEMU pid {Pid} is up (QEMU {Version})")]
    private static partial void LogStarted(ILogger logger, string sandboxId, int pid, string version);

    [LoggerMessage(Level = LogLevel.Information, Message = "virtiofsd pid {Pid} serves {SharedDirectory}")]
    private static partial void LogVirtiofsdStarted(ILogger logger, int pid, string sharedDirectory);

    [LoggerMessage(Level = LogLevel.Warning, Message = "vsock CID {Cid} is taken by another VM; retrying with another")]
    private static partial void LogCidInUse(ILogger logger, uint cid);

    [LoggerMessage(Level = LogLevel.Information, Message = "QEMU pid {Pid}: asking the guest to power off (grace {Seconds} s)")]
    private static partial void LogPowerdown(ILogger logger, int pid, double seconds);

    [LoggerMessage(Level = LogLevel.Debug, Message = "QEMU pid {Pid}: vCPUs not running ({Status}); skipping ACPI power-off")]
    private static partial void LogPowerdownSkipped(ILogger logger, int pid, string status);

    [LoggerMessage(Level = LogLevel.Information, Message = "QEMU pid {Pid}: guest shutdown, reason {Reason}")]
    private static partial void LogShutdownEvent(ILogger logger, int pid, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "QEMU pid {Pid}: the guest kernel panicked")]
    private static partial void LogGuestPanicked(ILogger logger, int pid);

    [LoggerMessage(Level = LogLevel.Debug, Message = "QEMU pid {Pid}: event {Name}")]
    private static partial void LogVmEvent(ILogger logger, int pid, string name);

    [LoggerMessage(Level = LogLevel.Warning, Message = "QMP event processing stopped: {Error}")]
    private static partial void LogEventPumpFailed(ILogger logger, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "block device {DeviceId} ({Path}) hotplugged as {Driver} at {Address}")]
    private static partial void LogHotplugged(ILogger logger, string deviceId, string path, GuestBlockDriver driver, string address);

    [LoggerMessage(Level = LogLevel.Information, Message = "block device {DeviceId} unplugged")]
    private static partial void LogUnplugged(ILogger logger, string deviceId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "rolling back block node {NodeName} failed: {Error}")]
    private static partial void LogRollbackFailed(ILogger logger, string nodeName, string error);
}
