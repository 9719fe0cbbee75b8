namespace Sealpod.Agent.Containers;

internal sealed partial class Sandbox
{
    private const int SIGKILL = 9;
    private const int SIGTERM = 15;

    /// <summary>Largest single read: well inside ttrpc's 4 MiB message limit.</summary>
    private const int MaxReadLength = 1 << 20;

    private const int DefaultReadLength = 32 * 1024;

    public Task StartContainerAsync(string containerId, CancellationToken cancellationToken) =>
        WithLifecycleAsync(containerId, async container =>
        {
            container.Require("start", ContainerState.Created);
            await _runtime.StartAsync(container.Id, cancellationToken).ConfigureAwait(false);
            if (container.State == ContainerState.Created)
            {
                container.Transition(ContainerState.Running);
            }
        }, cancellationToken);

    /// <summary>Starts another process in a running container (runc exec --detach).</summary>
    public async Task ExecProcessAsync(string containerId, string execId, OciProcess process, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(process);
        ContainerId.Validate(execId, "exec id");
        var container = Get(containerId);
        var applied = SpecPolicy.ApplyToProcess(process);
        await container.Lifecycle.WaitAsync(cancellationToken).ConfigureAwait(false);
        IProcessIo? io = null;
        ContainerProcess? execProcess = null;
        try
        {
            container.Require("exec in", ContainerState.Running);
            if (container.HasProcess(execId))
            {
                throw new AlreadyExistsException($"process {execId} already exists in container {container.Id}");
            }

            var processFile = Path.Combine(container.Bundle, $"exec-{execId}.json");
            var pidFile = Path.Combine(container.Bundle, $"exec-{execId}.pid");
            var logFile = Path.Combine(container.Bundle, $"exec-{execId}.log");
            File.Delete(pidFile);
            await File.WriteAllTextAsync(processFile, JsonSerializer.Serialize(applied, OciJsonContext.Default.OciProcess), cancellationToken).ConfigureAwait(false);

            var checkpoint = _reaper.Checkpoint();
            if (applied.Terminal)
            {
                using var console = new ConsoleSocket(NextConsoleSocketPath());
                await _runtime.ExecAsync(container.Id, processFile, pidFile, console.Path, null, logFile, cancellationToken).ConfigureAwait(false);
                io = new TerminalIo(_poller, console.ReceiveMaster());
                if (applied.ConsoleSize is { Height: > 0, Width: > 0 } size)
                {
                    io.Resize(size.Height, size.Width);
                }
            }
            else
            {
                io = new PipeIo(_poller);
                await _runtime.ExecAsync(container.Id, processFile, pidFile, null, io.ChildStdio, logFile, cancellationToken).ConfigureAwait(false);
                io.ReleaseChildEnds();
            }

            // Exec ids are only added under the lifecycle lock, so the check above still holds.
            execProcess = new ContainerProcess(execId, isInit: false, io);
            container.AddExec(execProcess);
            var pid = ReadPidFile(pidFile);
            execProcess.Started(pid, _reaper.Adopt(pid, checkpoint));
            File.Delete(processFile);
            _log.LogInformation("exec {ExecId} in {ContainerId} started, pid {Pid}", execId, container.Id, pid);
        }
        catch
        {
            if (execProcess is not null)
            {
                container.RemoveExec(execProcess);
            }

            io?.Dispose();
            throw;
        }
        finally
        {
            container.Lifecycle.Release();
        }
    }

    /// <summary>
    /// Signals a process. An empty exec id means the container (its init); like Kata, SIGTERM to an
    /// init that has no SIGTERM handler becomes SIGKILL, because the kernel never delivers an unhandled
    /// signal to a pid namespace's init from outside. Signalling an exited process does nothing.
    /// </summary>
    public void SignalProcess(string containerId, string execId, int signal)
    {
        if (signal is <= 0 or > 64)
        {
            throw new InvalidArgumentException($"signal {signal} is not a valid signal number");
        }

        var process = Get(containerId).FindProcess(execId);
        if (process.IsInit && signal == SIGTERM && !HandlesSignal(process.Pid, SIGTERM))
        {
            signal = SIGKILL;
        }

        if (!process.Signal(signal))
        {
            _log.LogDebug("signal {Signal} to {ContainerId}/{ExecId}: the process already exited", signal, containerId, execId);
        }
    }

    /// <summary>Waits for the process to exit; returns its status (exit code or 128 + signal).</summary>
    public async Task<ExitStatus> WaitProcessAsync(string containerId, string execId, CancellationToken cancellationToken)
    {
        var container = Get(containerId);
        var process = container.FindProcess(execId);
        var status = await process.Exited.WaitAsync(cancellationToken).ConfigureAwait(false);
        if (!process.IsInit)
        {
            // An exec is forgotten once its exit was collected and its output drained.
            process.Waited = true;
            _ = process.Io.Drained.ContinueWith(
                _ =>
                {
                    if (container.RemoveExec(process))
                    {
                        process.Dispose();
                    }
                },
                CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
        }

        return status;
    }

    /// <summary>Long-poll read of stdout or stderr; empty means end of stream.</summary>
    public async Task<byte[]> ReadAsync(string containerId, string execId, OutputStream stream, uint length, CancellationToken cancellationToken)
    {
        var process = Get(containerId).FindProcess(execId);
        var buffer = new byte[length == 0 ? DefaultReadLength : (int)Math.Min(length, MaxReadLength)];
        var read = await process.Io.ReadAsync(stream, buffer, cancellationToken).ConfigureAwait(false);
        return read == buffer.Length ? buffer : buffer.AsSpan(0, read).ToArray();
    }

    public async Task<int> WriteStdinAsync(string containerId, string execId, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        var process = Get(containerId).FindProcess(execId);
        await process.Io.WriteStdinAsync(data, cancellationToken).ConfigureAwait(false);
        return data.Length;
    }

    public void CloseStdin(string containerId, string execId) =>
        Get(containerId).FindProcess(execId).Io.CloseStdin();

    public void ResizeTerminal(string containerId, string execId, uint rows, uint columns) =>
        Get(containerId).FindProcess(execId).Io.Resize(rows, columns);

    /// <summary>Whether /proc/PID/status lists <paramref name="signal"/> among the caught signals.</summary>
    private static bool HandlesSignal(int pid, int signal)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/status"))
            {
                if (line.StartsWith("SigCgt:", StringComparison.Ordinal)
                    && ulong.TryParse(line.AsSpan(7).Trim(), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var mask))
                {
                    return (mask & (1UL << (signal - 1))) != 0;
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The process is gone: nothing to decide.
        }

        return false;
    }
}
