using Microsoft.Extensions.Logging;

namespace Sealpod.Vmm.CloudHypervisor;

public sealed partial class ClhHypervisor
{
    [LoggerMessage(Level = LogLevel.Information, Message = "sandbox {SandboxId}: launching Cloud Hypervisor ({Tee}) {Path}; guest kernel command line: {Cmdline}")]
    private static partial void LogLaunching(ILogger logger, string sandboxId, string tee, string path, string cmdline);

    [LoggerMessage(Level = LogLevel.Information, Message = "sandbox {SandboxId}: Cloud Hypervisor {Version} running as pid {Pid}")]
    private static partial void LogStarted(ILogger logger, string sandboxId, int pid, string version);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cloud Hypervisor pid {Pid} did not stop in time; killing it")]
    private static partial void LogForcedStop(ILogger logger, int pid);

    [LoggerMessage(Level = LogLevel.Debug, Message = "stopping Cloud Hypervisor: {Step} failed: {Reason}")]
    private static partial void LogStopStepFailed(ILogger logger, string step, string reason);
}
