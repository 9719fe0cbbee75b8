using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;

namespace Sealpod.Vmm.Lifecycle;

/// <summary>
/// One process a driver runs (the hypervisor, or a daemon serving it such as virtiofsd): started without a shell from
/// an argv list, its stdout and stderr appended to a log file, reaped by the runtime (System.Diagnostics.Process waits
/// on its own children). <see cref="Exited"/> completes only after the process is reaped and its output fully written,
/// so an error built from the log is never missing the last line. When asked to, it records its pid in a file for as
/// long as it runs, so that whoever cleans up after a lost owner can find it.
/// </summary>
internal sealed partial class VmProcess : IAsyncDisposable
{
    private const int SigKill = 9;
    private static readonly TimeSpan OutputDrainTimeout = TimeSpan.FromSeconds(5);

    private readonly Process _process;
    private readonly FileStream _log;
    private readonly SemaphoreSlim _logLock = new(1, 1);
    private readonly ILogger _logger;
    private readonly string? _pidFile;
    private readonly Task<int> _exited;
    private int _killRequested;

    private VmProcess(Process process, FileStream log, string displayName, string? pidFile, ILogger logger)
    {
        _process = process;
        _log = log;
        _logger = logger;
        _pidFile = pidFile;
        DisplayName = displayName;
        Pid = process.Id;
        var stdout = PumpAsync(process.StandardOutput.BaseStream);
        var stderr = PumpAsync(process.StandardError.BaseStream);
        _exited = WaitAsync(stdout, stderr);
    }

    /// <summary>The process id.</summary>
    public int Pid { get; }

    /// <summary>What logs call the process (<c>QEMU</c>, <c>Cloud Hypervisor</c>, <c>virtiofsd</c>).</summary>
    public string DisplayName { get; }

    /// <summary>The file stdout and stderr go to.</summary>
    public string LogPath => _log.Name;

    /// <summary>Completes with the exit status (128+N for signal N) once the process is reaped and its output written.</summary>
    public Task<int> Exited => _exited;

    /// <summary>Whether the process has been reaped.</summary>
    public bool HasExited => _exited.IsCompleted;

    /// <summary>The exit status once reaped, else null.</summary>
    public int? ExitCode => _exited.IsCompletedSuccessfully ? _exited.Result : null;

    /// <summary>Whether <see cref="Kill"/> was called before the process exited by itself.</summary>
    public bool KillRequested => Volatile.Read(ref _killRequested) != 0;

    /// <summary>
    /// Starts <paramref name="binary"/> with <paramref name="arguments"/>; output is appended to <paramref name="logPath"/>.
    /// With a <paramref name="pidFile"/>, the pid is written there before this returns and removed once the process is
    /// reaped; a pid that cannot be recorded is a start failure (the process is killed), because an unrecorded process
    /// is one nobody could clean up after a lost owner.
    /// </summary>
    public static VmProcess Start(
        string displayName, string binary, IReadOnlyList<string> arguments, string workingDirectory, string logPath, ILogger logger, string? pidFile = null)
    {
        var info = new ProcessStartInfo(binary)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        var log = new FileStream(logPath, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete, 4096, useAsync: true);
        var process = new Process { StartInfo = info };
        try
        {
            process.Start();
        }
        catch (Exception ex) when (ex is Win32Exception or InvalidOperationException)
        {
            process.Dispose();
            log.Dispose();
            throw new HypervisorStartException($"cannot execute {binary}: {ex.Message}", ex);
        }

        // The hypervisors never read stdin; close it so they cannot block on or inherit the runtime's.
        process.StandardInput.Close();
        if (pidFile is not null)
        {
            // Before the exit is watched, so that the removal at the exit always comes after the write.
            RecordPid(process, log, displayName, pidFile);
        }

        var started = new VmProcess(process, log, displayName, pidFile, logger);
        LogStarted(logger, started.Pid, binary);
        return started;
    }

    /// <summary>Sends SIGKILL. Safe to call at any time, any number of times, also after exit.</summary>
    public void Kill()
    {
        if (HasExited)
        {
            return;
        }

        Interlocked.Exchange(ref _killRequested, 1);
        try
        {
            _process.Kill(entireProcessTree: false);
            LogKilled(_logger, SigKill, DisplayName, Pid);
        }
        catch (InvalidOperationException)
        {
            // Exited between the check and the kill.
        }
    }

    /// <summary>Kills the process if it is still running and waits until it is reaped.</summary>
    public async ValueTask DisposeAsync()
    {
        Kill();
        await _exited.ConfigureAwait(false);
        _process.Dispose();
        await _log.DisposeAsync().ConfigureAwait(false);
        _logLock.Dispose();
    }

    /// <summary>The last <paramref name="maxBytes"/> bytes of the log, decoded leniently.</summary>
    public string ReadLogTail(int maxBytes = 4096) => ReadTail(LogPath, maxBytes);

    /// <summary>The last <paramref name="maxBytes"/> bytes of a file, or empty when it cannot be read.</summary>
    public static string ReadTail(string path, int maxBytes)
    {
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            var start = Math.Max(0, file.Length - maxBytes);
            file.Seek(start, SeekOrigin.Begin);
            var buffer = new byte[file.Length - start];
            file.ReadExactly(buffer);
            return Encoding.UTF8.GetString(buffer);
        }
        catch (IOException)
        {
            return string.Empty;
        }
    }

    private static void RecordPid(Process process, FileStream log, string displayName, string pidFile)
    {
        // Written aside and renamed, so a reader never sees a half-written number.
        var temporary = pidFile + ".tmp";
        try
        {
            File.WriteAllText(temporary, process.Id.ToString(CultureInfo.InvariantCulture));
            File.Move(temporary, pidFile, overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            process.Kill();
            process.WaitForExit();
            process.Dispose();
            log.Dispose();
            VmFiles.TryDelete(temporary);
            throw new HypervisorStartException($"cannot record {displayName}'s pid in {pidFile}: {ex.Message}", ex);
        }
    }

    private async Task<int> WaitAsync(Task stdout, Task stderr)
    {
        await _process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);

        // The pipes reach end-of-file once the process and anything it forked are gone. The hypervisors fork nothing
        // we start them with, but a helper holding the pipe must not stall the reap.
        try
        {
            await Task.WhenAll(stdout, stderr).WaitAsync(OutputDrainTimeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            LogPumpFailed(_logger, DisplayName, Pid, "output still open after the process exited; the rest is not logged");
        }

        await _log.FlushAsync(CancellationToken.None).ConfigureAwait(false);
        if (_pidFile is not null)
        {
            // The pid means nothing once reaped, and may soon name another process.
            VmFiles.TryDelete(_pidFile);
        }

        var code = _process.ExitCode;
        LogExited(_logger, DisplayName, Pid, code);
        return code;
    }

    private async Task PumpAsync(Stream source)
    {
        var buffer = new byte[4096];
        try
        {
            int read;
            while ((read = await source.ReadAsync(buffer, CancellationToken.None).ConfigureAwait(false)) > 0)
            {
                await _logLock.WaitAsync(CancellationToken.None).ConfigureAwait(false);
                try
                {
                    await _log.WriteAsync(buffer.AsMemory(0, read), CancellationToken.None).ConfigureAwait(false);
                    await _log.FlushAsync(CancellationToken.None).ConfigureAwait(false);
                }
                finally
                {
                    _logLock.Release();
                }
            }
        }
        catch (IOException ex)
        {
            // A full disk must not take the VM down with it; the output is lost, the VM is not.
            LogPumpFailed(_logger, DisplayName, Pid, ex.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "started {Binary} as pid {Pid}")]
    private static partial void LogStarted(ILogger logger, int pid, string binary);

    [LoggerMessage(Level = LogLevel.Warning, Message = "sent signal {Signal} to {Name} pid {Pid}")]
    private static partial void LogKilled(ILogger logger, int signal, string name, int pid);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Name} pid {Pid} exited with status {ExitCode}")]
    private static partial void LogExited(ILogger logger, string name, int pid, int exitCode);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Name} pid {Pid}: cannot write its output to the log: {Error}")]
    private static partial void LogPumpFailed(ILogger logger, string name, int pid, string error);
}
