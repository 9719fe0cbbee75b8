namespace Sealpod.Vmm.Lifecycle;

/// <summary>
/// The clean-up after a VM whose shim was lost, as every driver does it: kill what its pid files record while the
/// process still names the VM's directory, then remove the driver's files and the directory once it is empty. The
/// driver's files say which pid files, in which order (<see cref="IVmFiles.PidFiles"/>), and which files outside
/// <see cref="IVmFiles.All"/> go too (<see cref="IVmFiles.DaemonFiles"/>).
/// </summary>
internal static class OrphanVm
{
    /// <param name="files">The driver's files in the VM's runtime directory.</param>
    /// <param name="cancellationToken">Ends the waits for processes to exit.</param>
    /// <returns><see cref="OrphanCleanup.None"/> when the directory does not exist.</returns>
    public static async Task<OrphanCleanup> CleanupAsync(IVmFiles files, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(files.Directory))
        {
            return OrphanCleanup.None;
        }

        var pidFiles = files.PidFiles;
        var warnings = new List<string>();
        var marker = OrphanProcess.DirectoryMarker(files.Directory);
        int? hypervisor = null;
        for (var i = 0; i < pidFiles.Count; i++)
        {
            var pid = await OrphanProcess.KillAsync(pidFiles[i], marker, warnings, cancellationToken).ConfigureAwait(false);
            hypervisor = i == 0 ? pid : hypervisor;
        }

        foreach (var file in files.DaemonFiles)
        {
            VmFiles.TryDelete(file);
        }

        files.DeleteAll();
        VmFiles.TryDeleteDirectory(files.Directory);
        return new OrphanCleanup(hypervisor, warnings);
    }
}
