using Sealpod.Linux.Native;
using Sealpod.Linux.Processes;

namespace Sealpod.Vmm.Lifecycle;

/// <summary>
/// One process a driver runs (the hypervisor, or a daemon serving it such as virtiofsd): started with posix_spawn
/// from an argv list (no shell), its stdout and stderr appended straight to a log file, reaped by this class
/// (waitpid on its own pid only). posix_spawn, not <see cref="System.Diagnostics.Process"/>, because a hypervisor
/// may need descriptors handed over (the pod's tap queues): each is dup2'ed to a fixed number in the child only, so
/// the parent's copies stay close-on-exec and no other child ever inherits them. <see cref="Exited"/> completes once
/// the process is reaped. When asked to, it records its pid in a file for as long as it runs, so that whoever cleans
/// up after a lost owner can find it.
/// </summary>
internal sealed partial class VmProcess : IAsyncDisposable
{
    /// <summary>The child's number for the first handed-over descriptor; the next ones follow (4, 5 ...).</summary>
    public const int FirstPassedDescriptor = PosixSpawner.FirstPassedDescriptor;

    private const int SigKill = 9;
    private const int O_APPEND = 0x400;
    private static readonly TimeSpan FirstPollInterval = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan MaxPollInterval = TimeSpan.FromMilliseconds(100);

    // Guards the reap against a kill: once reaped, the pid may name another process and must not be signalled.
    private readonly Lock _reapLock = new();
    private readonly ILogger _logger;
    private readonly string? _pidFile;
    private readonly Task<int> _exited;
    private bool _reaped;
    private int _killRequested;

    private VmProcess(int pid, string logPath, string displayName, string? pidFile, ILogger logger)
    {
        _logger = logger;
        _pidFile = pidFile;
        DisplayName = displayName;
        LogPath = logPath;
        Pid = pid;
        _exited = Task.Run(WaitAsync);
    }

    /// <summary>The process id.</summary>
    public int Pid { get; }

    /// <summary>What logs call the process (<c>QEMU</c>, <c>Cloud Hypervisor</c>, <c>virtiofsd</c>).</summary>
    public string DisplayName { get; }

    /// <summary>The file stdout and stderr go to.</summary>
    public string LogPath { get; }

    /// <summary>Completes with the exit status (128+N for signal N) once the process is reaped.</summary>
    public Task<int> Exited => _exited;

    /// <summary>Whether the process has been reaped.</summary>
    public bool HasExited => _exited.IsCompleted;

    /// <summary>The exit status once reaped, else null.</summary>
    public int? ExitCode => _exited.IsCompletedSuccessfully ? _exited.Result : null;

    /// <summary>Whether <see cref="Kill"/> was called before the process exited by itself.</summary>
    public bool KillRequested => Volatile.Read(ref _killRequested) != 0;

    /// <summary>
    /// Starts <paramref name="binary"/> with <paramref name="arguments"/>; output is appended to <paramref name="logPath"/>.
    /// <paramref name="passedDescriptors"/>[i] becomes the child's descriptor <see cref="FirstPassedDescriptor"/> + i (and
    /// only the child's: the parent's stays close-on-exec). With a <paramref name="pidFile"/>, the pid is written there
    /// before this returns and removed once the process is reaped; a pid that cannot be recorded is a start failure (the
    /// process is killed), because an unrecorded process is one nobody could clean up after a lost owner.
    /// </summary>
    public static VmProcess Start(
        string displayName, string binary, IReadOnlyList<string> arguments, string workingDirectory, string logPath, ILogger logger, string? pidFile = null,
        IReadOnlyList<SafeHandle>? passedDescriptors = null)
    {
        int pid;
        try
        {
            pid = Spawn(Resolve(binary), arguments, workingDirectory, logPath, passedDescriptors ?? []);
        }
        catch (Exception ex) when (ex is IOException or SystemCallException or ArgumentException)
        {
            throw new HypervisorStartException($"cannot execute {binary}: {ex.Message}", ex);
        }

        if (pidFile is not null)
        {
            // Before the exit is watched, so that the removal at the exit always comes after the write.
            RecordPid(pid, displayName, pidFile);
        }

        var started = new VmProcess(pid, logPath, displayName, pidFile, logger);
        LogStarted(logger, started.Pid, binary);
        return started;
    }

    /// <summary>Sends SIGKILL. Safe to call at any time, any number of times, also after exit.</summary>
    public void Kill()
    {
        lock (_reapLock)
        {
            if (_reaped)
            {
                return;
            }

            Interlocked.Exchange(ref _killRequested, 1);
            if (LibC.Kill(Pid, SigKill) == 0)
            {
                LogKilled(_logger, SigKill, DisplayName, Pid);
            }
        }
    }

    /// <summary>Kills the process if it is still running and waits until it is reaped.</summary>
    public async ValueTask DisposeAsync()
    {
        Kill();
        await _exited.ConfigureAwait(false);
    }

    /// <summary>The last <paramref name="maxBytes"/> bytes of the log, decoded leniently.</summary>
    public string ReadLogTail(int maxBytes = 4096) => ReadTail(LogPath, maxBytes);

    /// <summary>The last <paramref name="maxBytes"/> bytes of a file, or empty when it cannot be read.</summary>
    public static string ReadTail(string path, int maxBytes) => FileTail.ReadBytes(path, maxBytes);

    // posix_spawn takes a path; a bare name is looked up in PATH as a shell would.
    private static string Resolve(string binary)
    {
        if (binary.Contains('/', StringComparison.Ordinal))
        {
            return binary;
        }

        foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? "/usr/local/bin:/usr/bin:/bin").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(directory, binary);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new IOException($"{binary} is not found in PATH");
    }

    private static int Spawn(string binary, IReadOnlyList<string> arguments, string workingDirectory, string logPath, IReadOnlyList<SafeHandle> passed)
    {
        var log = LibC.Open(logPath, LibC.O_WRONLY | LibC.O_CREAT | O_APPEND | LibC.O_CLOEXEC, 0b110_000_000);
        if (log < 0)
        {
            throw SystemCallException.FromLastError("open", logPath);
        }

        try
        {
            var environment = Environment.GetEnvironmentVariables();
            var envp = new List<string>(environment.Count);
            foreach (System.Collections.DictionaryEntry entry in environment)
            {
                envp.Add($"{entry.Key}={entry.Value}");
            }

            // The hypervisors never read stdin (/dev/null); their stdout and stderr go to the log.
            return PosixSpawner.Spawn(new SpawnRequest
            {
                Executable = binary,
                Arguments = arguments,
                Environment = envp,
                OutputDescriptor = log,
                WorkingDirectory = workingDirectory,
                PassedDescriptors = passed,
            });
        }
        finally
        {
            LibC.Close(log);
        }
    }

    private static unsafe void RecordPid(int pid, string displayName, string pidFile)
    {
        // Written aside and renamed, so a reader never sees a half-written number.
        var temporary = pidFile + ".tmp";
        try
        {
            File.WriteAllText(temporary, pid.ToString(CultureInfo.InvariantCulture));
            File.Move(temporary, pidFile, overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            LibC.Kill(pid, SigKill);
            int status;
            LibC.WaitPid(pid, &status, 0);
            VmFiles.TryDelete(temporary);
            throw new HypervisorStartException($"cannot record {displayName}'s pid in {pidFile}: {ex.Message}", ex);
        }
    }

    // Polls its own pid only (waitpid(-1) would take other owners' children); a few ms after the exit is soon enough
    // for a VM, and needs no SIGCHLD handler that could race the runtime's own.
    private async Task<int> WaitAsync()
    {
        var interval = FirstPollInterval;
        int code;
        while (!TryReap(out code))
        {
            await Task.Delay(interval).ConfigureAwait(false);
            interval = TimeSpan.FromTicks(Math.Min(interval.Ticks * 2, MaxPollInterval.Ticks));
        }

        if (_pidFile is not null)
        {
            // The pid means nothing once reaped, and may soon name another process.
            VmFiles.TryDelete(_pidFile);
        }

        LogExited(_logger, DisplayName, Pid, code);
        return code;
    }

    private unsafe bool TryReap(out int code)
    {
        lock (_reapLock)
        {
            int status;
            var result = LibC.WaitPid(Pid, &status, LibC.WNOHANG);
            if (result == Pid)
            {
                _reaped = true;

                // WIFEXITED: the status byte; WIFSIGNALED: 128 + the signal, as a shell reports it.
                code = (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F);
                return true;
            }

            if (result < 0 && Marshal.GetLastPInvokeError() == LibC.ECHILD)
            {
                // Someone else reaped it (a runtime that reaps every child): gone, its status unknown.
                _reaped = true;
                code = 255;
                return true;
            }

            code = 0;
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "started {Binary} as pid {Pid}")]
    private static partial void LogStarted(ILogger logger, int pid, string binary);

    [LoggerMessage(Level = LogLevel.Warning, Message = "sent signal {Signal} to {Name} pid {Pid}")]
    private static partial void LogKilled(ILogger logger, int signal, string name, int pid);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Name} pid {Pid} exited with status {ExitCode}")]
    private static partial void LogExited(ILogger logger, string name, int pid, int exitCode);
}
