using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Win32.SafeHandles;
using Sealpod.Linux.Native;

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
    public const int FirstPassedDescriptor = 3;

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

    private static unsafe int Spawn(string binary, IReadOnlyList<string> arguments, string workingDirectory, string logPath, IReadOnlyList<SafeHandle> passed)
    {
        var log = LibC.Open(logPath, LibC.O_WRONLY | LibC.O_CREAT | O_APPEND | LibC.O_CLOEXEC, 0b110_000_000);
        if (log < 0)
        {
            throw SystemCallException.FromLastError("open", logPath);
        }

        // Copies above every target number first, so one dup2 never overwrites a source another still needs; they are
        // close-on-exec here, and dup2 clears that flag on the target in the child only.
        var sources = new List<int>(passed.Count);
        using var strings = new SpawnStrings();
        void* actions = NativeMemory.AllocZeroed(LibC.SpawnFileActionsSize);
        void* attributes = NativeMemory.AllocZeroed(LibC.SpawnAttrSize);
        void* noSignals = NativeMemory.AllocZeroed(LibC.SigSetSize);
        void* defaults = NativeMemory.AllocZeroed(LibC.SigSetSize);
        var referenced = new List<SafeHandle>(passed.Count);
        try
        {
            foreach (var handle in passed)
            {
                var added = false;
                handle.DangerousAddRef(ref added);
                referenced.Add(handle);
                var copy = LibC.Fcntl((int)handle.DangerousGetHandle(), LibC.F_DUPFD_CLOEXEC, FirstPassedDescriptor + passed.Count);
                if (copy < 0)
                {
                    throw SystemCallException.FromLastError($"duplicate descriptor {handle.DangerousGetHandle()} for {binary}");
                }

                sources.Add(copy);
            }

            Check(LibC.PosixSpawnFileActionsInit(actions), "posix_spawn_file_actions_init");
            Check(LibC.PosixSpawnAttrInit(attributes), "posix_spawnattr_init");
            try
            {
                // Started the way any program expects: no blocked signals, and SIGPIPE (which .NET ignores) back to default.
                LibC.SigEmptySet(noSignals);
                LibC.SigEmptySet(defaults);
                LibC.SigAddSet(defaults, LibC.SIGPIPE);
                Check(LibC.PosixSpawnAttrSetSigMask(attributes, noSignals), "posix_spawnattr_setsigmask");
                Check(LibC.PosixSpawnAttrSetSigDefault(attributes, defaults), "posix_spawnattr_setsigdefault");
                Check(LibC.PosixSpawnAttrSetFlags(attributes, (short)(LibC.POSIX_SPAWN_SETSIGMASK | LibC.POSIX_SPAWN_SETSIGDEF)), "posix_spawnattr_setflags");

                // The hypervisors never read stdin: /dev/null, so they can neither block on nor inherit the runtime's.
                Check(LibC.PosixSpawnFileActionsAddOpen(actions, 0, strings.Utf8("/dev/null"), LibC.O_RDONLY, 0), "addopen stdin");
                Check(LibC.PosixSpawnFileActionsAddDup2(actions, log, 1), "adddup2 stdout");
                Check(LibC.PosixSpawnFileActionsAddDup2(actions, log, 2), "adddup2 stderr");
                for (var i = 0; i < sources.Count; i++)
                {
                    Check(LibC.PosixSpawnFileActionsAddDup2(actions, sources[i], FirstPassedDescriptor + i), "adddup2");
                }

                Check(LibC.PosixSpawnFileActionsAddChdir(actions, strings.Utf8(workingDirectory)), "addchdir");
                var environment = Environment.GetEnvironmentVariables();
                var envp = new List<string>(environment.Count);
                foreach (System.Collections.DictionaryEntry entry in environment)
                {
                    envp.Add($"{entry.Key}={entry.Value}");
                }

                int pid;
                var error = LibC.PosixSpawn(&pid, strings.Utf8(binary), actions, attributes, strings.Vector([binary, .. arguments]), strings.Vector(envp));
                if (error != 0)
                {
                    throw new IOException(Marshal.GetPInvokeErrorMessage(error), error);
                }

                return pid;
            }
            finally
            {
                LibC.PosixSpawnFileActionsDestroy(actions);
                LibC.PosixSpawnAttrDestroy(attributes);
            }
        }
        finally
        {
            foreach (var source in sources)
            {
                LibC.Close(source);
            }

            foreach (var handle in referenced)
            {
                handle.DangerousRelease();
            }

            LibC.Close(log);
            NativeMemory.Free(actions);
            NativeMemory.Free(attributes);
            NativeMemory.Free(noSignals);
            NativeMemory.Free(defaults);
        }
    }

    private static void Check(int result, string what)
    {
        if (result != 0)
        {
            throw new IOException($"{what}: {Marshal.GetPInvokeErrorMessage(result)}", result);
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
