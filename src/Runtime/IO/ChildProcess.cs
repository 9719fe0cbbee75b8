using Microsoft.Win32.SafeHandles;
using Sealpod.Linux.Processes;

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
    public static ChildProcess Start(string executable, IReadOnlyList<string> arguments, IReadOnlyList<string> environment, IReadOnlyList<int> descriptors)
    {
        // Borrowed, not owned: the caller closes its descriptors.
        var passed = descriptors.Select(descriptor => new SafeFileHandle(descriptor, ownsHandle: false)).ToList();
        try
        {
            int pid = PosixSpawner.Spawn(new SpawnRequest { Executable = executable, Arguments = arguments, Environment = environment, PassedDescriptors = passed });
            return new ChildProcess(pid, executable);
        }
        catch (IOException error)
        {
            throw new IOException($"cannot start {executable}: {error.Message}", error);
        }
        finally
        {
            foreach (var handle in passed)
            {
                handle.Dispose();
            }
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
}
