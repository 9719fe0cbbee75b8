using System.Runtime.InteropServices;
using Sealpod.Linux.Native;

namespace Sealpod.Runtime.IO;

/// <summary>
/// A helper process started with posix_spawn, for what <see cref="System.Diagnostics.Process"/> cannot do: hand
/// the child descriptors at fixed numbers (3, 4, 5 ...), as containerd's logging protocol requires. Its standard
/// streams are /dev/null, no signal is blocked and SIGPIPE has its default action. Not reaped by .NET:
/// <see cref="TryReap"/> and <see cref="StopAsync"/> do it.
/// </summary>
internal sealed class ChildProcess
{
    private int _reaped;

    private ChildProcess(int pid, string executable)
    {
        Pid = pid;
        Executable = executable;
    }

    public int Pid { get; }

    public string Executable { get; }

    /// <summary>
    /// Starts <paramref name="executable"/>; <paramref name="descriptors"/>[i] becomes the child's descriptor 3 + i.
    /// The environment is exactly <paramref name="environment"/>.
    /// </summary>
    public static unsafe ChildProcess Start(string executable, IReadOnlyList<string> arguments, IReadOnlyList<string> environment, IReadOnlyList<int> descriptors)
    {
        // Copies above every target number first, so one dup2 never overwrites a source another still needs;
        // dup2 also clears close-on-exec on the target.
        var sources = new List<int>(descriptors.Count);
        using var strings = new SpawnStrings();
        void* actions = NativeMemory.AllocZeroed(LibC.SpawnFileActionsSize);
        void* attributes = NativeMemory.AllocZeroed(LibC.SpawnAttrSize);
        void* noSignals = NativeMemory.AllocZeroed(LibC.SigSetSize);
        void* pipeSignal = NativeMemory.AllocZeroed(LibC.SigSetSize);
        try
        {
            foreach (int descriptor in descriptors)
            {
                int copy = LibC.Fcntl(descriptor, LibC.F_DUPFD_CLOEXEC, 3 + descriptors.Count);
                if (copy < 0)
                {
                    throw SystemCallException.FromLastError($"duplicate descriptor {descriptor} for {executable}");
                }

                sources.Add(copy);
            }

            Check(LibC.PosixSpawnFileActionsInit(actions), "posix_spawn_file_actions_init");
            Check(LibC.PosixSpawnAttrInit(attributes), "posix_spawnattr_init");
            try
            {
                // Started the way any program expects: no blocked signals, and SIGPIPE (which .NET ignores) back to default.
                LibC.SigEmptySet(noSignals);
                LibC.SigEmptySet(pipeSignal);
                LibC.SigAddSet(pipeSignal, LibC.SIGPIPE);
                Check(LibC.PosixSpawnAttrSetSigMask(attributes, noSignals), "posix_spawnattr_setsigmask");
                Check(LibC.PosixSpawnAttrSetSigDefault(attributes, pipeSignal), "posix_spawnattr_setsigdefault");
                Check(LibC.PosixSpawnAttrSetFlags(attributes, (short)(LibC.POSIX_SPAWN_SETSIGMASK | LibC.POSIX_SPAWN_SETSIGDEF)), "posix_spawnattr_setflags");

                byte* devNull = strings.Utf8("/dev/null");
                Check(LibC.PosixSpawnFileActionsAddOpen(actions, 0, devNull, LibC.O_RDONLY, 0), "addopen stdin");
                Check(LibC.PosixSpawnFileActionsAddOpen(actions, 1, devNull, LibC.O_WRONLY, 0), "addopen stdout");
                Check(LibC.PosixSpawnFileActionsAddOpen(actions, 2, devNull, LibC.O_WRONLY, 0), "addopen stderr");
                for (int i = 0; i < sources.Count; i++)
                {
                    Check(LibC.PosixSpawnFileActionsAddDup2(actions, sources[i], 3 + i), "adddup2");
                }

                byte** argv = strings.Vector([executable, .. arguments]);
                byte** envp = strings.Vector(environment);
                int pid;
                int error = LibC.PosixSpawn(&pid, strings.Utf8(executable), actions, attributes, argv, envp);
                if (error != 0)
                {
                    throw new IOException($"cannot start {executable}: {Marshal.GetPInvokeErrorMessage(error)}", error);
                }

                return new ChildProcess(pid, executable);
            }
            finally
            {
                LibC.PosixSpawnFileActionsDestroy(actions);
                LibC.PosixSpawnAttrDestroy(attributes);
            }
        }
        finally
        {
            foreach (int source in sources)
            {
                LibC.Close(source);
            }

            NativeMemory.Free(actions);
            NativeMemory.Free(attributes);
            NativeMemory.Free(noSignals);
            NativeMemory.Free(pipeSignal);
        }
    }

    /// <summary>A pipe whose both ends are close-on-exec: (read end, write end).</summary>
    public static unsafe (int Read, int Write) Pipe()
    {
        int* fds = stackalloc int[2];
        return LibC.Pipe2(fds, LibC.O_CLOEXEC) == 0 ? (fds[0], fds[1]) : throw SystemCallException.FromLastError("pipe2");
    }

    /// <summary>Collects the exit status if the process has exited; true once it is reaped.</summary>
    public unsafe bool TryReap()
    {
        if (Volatile.Read(ref _reaped) != 0)
        {
            return true;
        }

        int status;
        int result = LibC.WaitPid(Pid, &status, LibC.WNOHANG);
        if (result == Pid || (result < 0 && Marshal.GetLastPInvokeError() == LibC.ECHILD))
        {
            Volatile.Write(ref _reaped, 1);
            return true;
        }

        return false;
    }

    /// <summary>SIGTERM, up to <paramref name="grace"/> to exit, then SIGKILL; returns once the process is reaped.</summary>
    public async Task StopAsync(TimeSpan grace)
    {
        if (TryReap())
        {
            return;
        }

        LibC.Kill(Pid, LibC.SIGTERM);
        var deadline = DateTime.UtcNow + grace;
        while (!TryReap())
        {
            if (DateTime.UtcNow >= deadline)
            {
                LibC.Kill(Pid, LibC.SIGKILL);
                WaitBlocking();
                return;
            }

            await Task.Delay(20).ConfigureAwait(false);
        }
    }

    // After SIGKILL the process is gone at once: waiting for it does not block for long.
    private unsafe void WaitBlocking()
    {
        int status;
        LibC.WaitPid(Pid, &status, 0);
        Volatile.Write(ref _reaped, 1);
    }

    private static void Check(int result, string what)
    {
        if (result != 0)
        {
            throw new IOException($"{what}: {Marshal.GetPInvokeErrorMessage(result)}", result);
        }
    }
}
