using System.Runtime.InteropServices;
using Sealpod.Linux.Native;

namespace Sealpod.Shim.Hosting;

/// <summary>
/// Starts the long-running shim as containerd's Go shims do: a new session (setsid), stdin, stdout and
/// stderr on /dev/null (containerd reads <c>start</c>'s output until every writer has closed it), and the
/// listening socket <c>start</c> bound as descriptor 3. posix_spawn, because a managed fork is not an option.
/// </summary>
internal static unsafe class DaemonSpawner
{
    public const int InheritedSocketFd = 3;

    /// <summary>Spawns <paramref name="executable"/> and returns its pid.</summary>
    public static int Spawn(string executable, IReadOnlyList<string> arguments, IEnumerable<KeyValuePair<string, string>> environment, int socketFd)
    {
        // A copy above the standard descriptors, so dup2 onto 3 always happens (and clears close-on-exec)
        // even when the socket already is descriptor 3.
        int source = LibC.Fcntl(socketFd, LibC.F_DUPFD_CLOEXEC, 10);
        if (source < 0)
        {
            throw new IOException($"cannot duplicate the shim socket: {LibC.ErrorText(Marshal.GetLastPInvokeError())}");
        }

        using var strings = new SpawnStrings();
        void* actions = NativeMemory.AllocZeroed(LibC.SpawnFileActionsSize);
        void* attributes = NativeMemory.AllocZeroed(LibC.SpawnAttrSize);
        try
        {
            Check(LibC.PosixSpawnFileActionsInit(actions), "posix_spawn_file_actions_init");
            Check(LibC.PosixSpawnAttrInit(attributes), "posix_spawnattr_init");
            try
            {
                byte* devNull = strings.Utf8("/dev/null");
                Check(LibC.PosixSpawnFileActionsAddOpen(actions, 0, devNull, LibC.O_RDONLY, 0), "addopen stdin");
                Check(LibC.PosixSpawnFileActionsAddOpen(actions, 1, devNull, LibC.O_WRONLY, 0), "addopen stdout");
                Check(LibC.PosixSpawnFileActionsAddOpen(actions, 2, devNull, LibC.O_WRONLY, 0), "addopen stderr");
                Check(LibC.PosixSpawnFileActionsAddDup2(actions, source, InheritedSocketFd), "adddup2 socket");
                Check(LibC.PosixSpawnAttrSetFlags(attributes, LibC.POSIX_SPAWN_SETSID), "posix_spawnattr_setflags");

                byte** argv = strings.Vector([executable, .. arguments]);
                byte** envp = strings.Vector(environment.Select(e => $"{e.Key}={e.Value}").ToArray());
                int pid;
                int error = LibC.PosixSpawn(&pid, strings.Utf8(executable), actions, attributes, argv, envp);
                if (error != 0)
                {
                    throw new IOException($"cannot start the shim daemon {executable}: {LibC.ErrorText(error)}");
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
            NativeMemory.Free(actions);
            NativeMemory.Free(attributes);
            LibC.Close(source);
        }
    }

    private static void Check(int result, string what)
    {
        if (result != 0)
        {
            throw new IOException($"{what}: {LibC.ErrorText(result)}");
        }
    }
}
