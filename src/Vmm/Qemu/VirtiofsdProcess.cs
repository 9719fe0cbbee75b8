namespace Sealpod.Vmm.Qemu;

/// <summary>
/// The virtiofsd serving one sandbox's shared directory. Started before QEMU (QEMU connects to its socket while
/// building the machine), stopped and reaped with the VM; its pid is recorded in the VM's directory while it runs so a
/// lost shim's <c>delete</c> finds it. Disposing kills it, waits for the reap and removes the socket and the pid file C
/// virtiofsd keeps under <c>/run/virtiofsd</c>.
/// </summary>
internal sealed class VirtiofsdProcess : IAsyncDisposable
{
    // C virtiofsd locks a pid file named after its socket path ('/' becomes '.') in its run-state directory.
    private const string PidFileDirectory = "/run/virtiofsd";

    private readonly VmProcess _process;
    private readonly string _socketPath;

    private VirtiofsdProcess(VmProcess process, string socketPath)
    {
        _process = process;
        _socketPath = socketPath;
    }

    /// <summary>The process id.</summary>
    public int Pid => _process.Pid;

    /// <summary>Completes with the exit status once the daemon is reaped.</summary>
    public Task<int> Exited => _process.Exited;

    /// <summary>
    /// Starts <paramref name="binary"/> and waits until its socket accepts QEMU, or fails with the daemon's output when
    /// it exits first or does not listen within <paramref name="timeout"/>. Nothing is left behind on failure.
    /// </summary>
    public static async Task<VirtiofsdProcess> StartAsync(
        string binary, VirtiofsdCommandLine commandLine, QemuVmFiles files, TimeSpan timeout, ILogger logger, CancellationToken cancellationToken)
    {
        var argv = commandLine.Build();
        var process = VmProcess.Start("virtiofsd", binary, argv, files.Directory, files.VirtiofsdLog, logger, files.VirtiofsdPidFile);
        var started = new VirtiofsdProcess(process, commandLine.SocketPath);
        try
        {
            // virtiofsd binds the socket after it has set up the shared directory, so the file means it is ready.
            await SocketWait.ExistsAsync(
                process,
                commandLine.SocketPath,
                timeout,
                () => new HypervisorStartException($"virtiofsd exited during start-up (status {process.ExitCode}): {process.ReadLogTail().Trim()}"),
                () => new HypervisorStartException($"virtiofsd did not create its socket {commandLine.SocketPath} within {timeout.TotalSeconds:0.#} s"),
                cancellationToken).ConfigureAwait(false);
            return started;
        }
        catch
        {
            await started.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The pid file C virtiofsd itself keeps for <paramref name="socketPath"/>, which outlives a killed daemon.</summary>
    public static string RunStatePidFile(string socketPath) => Path.Combine(PidFileDirectory, socketPath.Replace('/', '.') + ".pid");

    /// <summary>Kills the daemon if it still runs, waits for the reap and removes its socket and pid file.</summary>
    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync().ConfigureAwait(false);
        VmFiles.TryDelete(_socketPath);
        VmFiles.TryDelete(RunStatePidFile(_socketPath));
    }

    /// <summary>The last lines of the daemon's output, for errors.</summary>
    public string ReadLogTail() => _process.ReadLogTail();
}
