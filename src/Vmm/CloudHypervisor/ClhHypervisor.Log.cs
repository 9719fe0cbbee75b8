namespace Sealpod.Vmm.CloudHypervisor;

public sealed partial class ClhHypervisor
{
    [LoggerMessage(Level = LogLevel.Information, Message = "sandbox {SandboxId}: launching Cloud Hypervisor ({Tee}) {Path}; guest kernel command line: {Cmdline}")]
    private static partial void LogLaunching(ILogger logger, string sandboxId, string tee, string path, string cmdline);

    [LoggerMessage(Level = LogLevel.Information, Message = "sandbox {SandboxId}: Cloud Hypervisor {Version} running as pid {Pid}")]
    private static partial void LogStarted(ILogger logger, string sandboxId, int pid, string version);
}
