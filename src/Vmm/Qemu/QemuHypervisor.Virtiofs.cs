namespace Sealpod.Vmm.Qemu;

public sealed partial class QemuHypervisor
{
    /// <summary>
    /// Starts the virtiofsd for <paramref name="sharedDirectory"/> (<c>virtio_fs_daemon</c>); the command line factory
    /// has already checked that the configuration shares over virtio-fs, and Config's validator that virtio-fs names
    /// its daemon.
    /// </summary>
    private async Task<VirtiofsdProcess> StartVirtiofsdAsync(QemuVmFiles files, string sharedDirectory, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(sharedDirectory))
        {
            throw new HypervisorStartException($"the shared directory {sharedDirectory} does not exist");
        }

        var commandLine = VirtiofsdCommandLine.For(_config, files.VirtiofsdSocket, sharedDirectory);
        var virtiofsd = await VirtiofsdProcess.StartAsync(
            _config.VirtioFsDaemon, commandLine, files, _options.StartTimeout, Logger, cancellationToken).ConfigureAwait(false);
        LogVirtiofsdStarted(Logger, virtiofsd.Pid, sharedDirectory);
        return virtiofsd;
    }

    /// <summary>
    /// virtiofsd gone while QEMU runs (killed, crashed): the guest's shared filesystem hangs every access from then on,
    /// so the VM is stopped, as Kata does, and the sandbox's exit is reported like any VM death with the reason named.
    /// A virtiofsd stopped after QEMU exited (the normal release) does nothing here.
    /// </summary>
    private async Task StopWhenVirtiofsdDiesAsync(VmProcess qemu, VirtiofsdProcess virtiofsd)
    {
        int status = await virtiofsd.Exited.ConfigureAwait(false);
        if (qemu.HasExited)
        {
            return;
        }

        _shutdownReason = "virtiofsd-exited";
        LogVirtiofsdDied(Logger, virtiofsd.Pid, status, qemu.Pid, virtiofsd.ReadLogTail());
        qemu.Kill();
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "virtiofsd pid {Pid} exited (status {Status}) while its VM ran: stopping QEMU pid {QemuPid}, whose shared filesystem is gone; virtiofsd's log tail:\n{LogTail}")]
    private static partial void LogVirtiofsdDied(ILogger logger, int pid, int status, int qemuPid, string logTail);
}
