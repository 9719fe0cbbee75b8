namespace Sealpod.Vmm.Lifecycle;

/// <summary>
/// What one start has made so far. The driver records each thing as it makes it; when the start fails,
/// <see cref="VmLifecycle{TSession}.AbandonStartAsync"/> removes exactly that, in an order that keeps the
/// hypervisor's last words: the control connection, then the hypervisor (killed, reaped, its log read), then the
/// daemons that served it, then the files and the directory if this start made it.
/// </summary>
internal sealed class VmLaunch
{
    /// <summary>The VM's files, once the runtime directory is prepared.</summary>
    public IVmFiles? Files { get; private set; }

    /// <summary>Whether this start created the runtime directory (and so removes it).</summary>
    public bool CreatedDirectory { get; private set; }

    /// <summary>The hypervisor process, once spawned.</summary>
    public VmProcess? Process { get; set; }

    /// <summary>The driver's connection to the hypervisor (QMP, the REST API client), once open.</summary>
    public IAsyncDisposable? Control { get; set; }

    /// <summary>A daemon the hypervisor needs (virtiofsd), once started.</summary>
    public IAsyncDisposable? Companion { get; set; }

    /// <summary>Creates the runtime directory owner-only and empties it of anything a previous VM of the driver left.</summary>
    public void PrepareDirectory(IVmFiles files, string hypervisor)
    {
        ArgumentNullException.ThrowIfNull(files);
        Files = files;
        CreatedDirectory = VmFiles.CreatePrivateDirectory(files.Directory, hypervisor);
        files.DeleteAll();
    }

    /// <summary>Removes everything recorded; returns the hypervisor's exit code and the tail of its output, when it ran.</summary>
    public async Task<(int? ExitCode, string Output)> ReleaseAsync()
    {
        int? exitCode = null;
        var output = string.Empty;
        if (Control is { } control)
        {
            await control.DisposeAsync().ConfigureAwait(false);
        }

        if (Process is { } process)
        {
            process.Kill();
            exitCode = await process.Exited.ConfigureAwait(false);
            output = process.ReadLogTail();
            await process.DisposeAsync().ConfigureAwait(false);
            if (string.IsNullOrWhiteSpace(output) && Files is { } files && DiskSpace.DescribeIfFull(files.Directory) is { } full)
            {
                output = full;
            }
        }

        if (Companion is { } companion)
        {
            await companion.DisposeAsync().ConfigureAwait(false);
        }

        RemoveFiles(Files, CreatedDirectory);
        return (exitCode, output);
    }

    /// <summary>Removes the driver's files, and the directory when the driver made it.</summary>
    public static void RemoveFiles(IVmFiles? files, bool createdDirectory)
    {
        if (files is null)
        {
            return;
        }

        files.DeleteAll();
        if (createdDirectory)
        {
            VmFiles.TryDeleteDirectory(files.Directory);
        }
    }
}
