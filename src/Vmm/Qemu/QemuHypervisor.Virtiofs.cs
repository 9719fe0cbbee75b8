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
            _config.VirtioFsDaemon, commandLine, files, _options.StartTimeout, _logger, cancellationToken).ConfigureAwait(false);
        LogVirtiofsdStarted(_logger, virtiofsd.Pid, sharedDirectory);
        return virtiofsd;
    }
}
