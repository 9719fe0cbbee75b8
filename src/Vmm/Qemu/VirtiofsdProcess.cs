using Microsoft.Extensions.Logging;

namespace Sealpod.Vmm.Qemu;

/// <summary>
/// The virtiofsd serving one sandbox's shared directory. Started before QEMU (QEMU connects to its socket while
/// building the machine), stopped and reaped with the VM; disposing kills it, waits for the reap and removes the
/// socket and the pid file C virtiofsd keeps under <c>/run/virtiofsd</c>.
/// </summary>
internal sealed class VirtiofsdProcess : IAsyncDisposable
{
    // C virtiofsd locks a pid file named after its socket path ('/' becomes '.') in its run-state directory.
    private const string PidFileDirectory = "/run/virtiofsd";

    private readonly QemuProcess _process;
    private readonly string _socketPath;

    private VirtiofsdProcess(QemuProcess process, string socketPath)
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
        string binary, VirtiofsdCommandLine commandLine, string workingDirectory, string logPath, TimeSpan timeout, ILogger logger, CancellationToken cancellationToken)
    {
        var argv = commandLine.Build();
        var started = new VirtiofsdProcess(QemuProcess.Start(binary, argv, workingDirectory, logPath, logger), commandLine.SocketPath);
        try
        {
            await started.WaitForSocketAsync(timeout, cancellationToken).ConfigureAwait(false);
            return started;
        }
        catch
        {
            await started.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Kills the daemon if it still runs, waits for the reap and removes its socket and pid file.</summary>
    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync().ConfigureAwait(false);
        TryDelete(_socketPath);
        TryDelete(Path.Combine(PidFileDirectory, _socketPath.Replace('/', '.') + ".pid"));
    }

    /// <summary>The last lines of the daemon's output, for errors.</summary>
    public string ReadLogTail() => _process.ReadLogTail();

    private async Task WaitForSocketAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        var delay = TimeSpan.FromMilliseconds(5);
        try
        {
            // virtiofsd binds the socket after it has set up the shared directory, so the file means it is ready.
            while (!File.Exists(_socketPath))
            {
                if (_process.HasExited)
                {
                    throw new HypervisorStartException($"virtiofsd exited during start-up (status {await _process.Exited.ConfigureAwait(false)}): {_process.ReadLogTail().Trim()}");
                }

                await Task.WhenAny(_process.Exited, Task.Delay(delay, deadline.Token)).ConfigureAwait(false);
                deadline.Token.ThrowIfCancellationRequested();
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromMilliseconds(100).Ticks));
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new HypervisorStartException($"virtiofsd did not create its socket {_socketPath} within {timeout.TotalSeconds:0.#} s");
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Best effort: runs on failure paths.
        }
    }
}
