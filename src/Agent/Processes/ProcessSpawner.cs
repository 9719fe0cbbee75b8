namespace Sealpod.Agent.Processes;

/// <summary>
/// Starts programs with <c>posix_spawn</c>. System.Diagnostics.Process is not used anywhere in the
/// agent: its own SIGCHLD handling would race with the agent's single <c>waitpid(-1)</c> reaper.
/// </summary>
internal static unsafe class ProcessSpawner
{
    /// <summary>Starts the program and returns its pid. Callers register the pid with the reaper.</summary>
    public static int Spawn(SpawnRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!System.IO.Path.IsPathRooted(request.Path))
        {
            throw new ArgumentException($"The program path '{request.Path}' is not absolute.", nameof(request));
        }

        using var strings = new SpawnStrings();
        byte** argv = strings.Vector([request.Path, .. request.Arguments]);
        byte** envp = strings.Vector(request.Environment);
        byte* devNull = strings.Utf8("/dev/null");
        byte* workingDirectory = request.WorkingDirectory is null ? null : strings.Utf8(request.WorkingDirectory);

        var fileActions = stackalloc byte[LibC.SpawnFileActionsSize];
        var attributes = stackalloc byte[LibC.SpawnAttrSize];
        var signals = stackalloc byte[LibC.SigSetSize];
        Check(LibC.PosixSpawnFileActionsInit(fileActions), "posix_spawn_file_actions_init");
        try
        {
            Check(LibC.PosixSpawnAttrInit(attributes), "posix_spawnattr_init");
            try
            {
                Redirect(fileActions, request.StandardInput, 0, devNull, LibC.O_RDONLY);
                Redirect(fileActions, request.StandardOutput, 1, devNull, LibC.O_WRONLY);
                Redirect(fileActions, request.StandardError, 2, devNull, LibC.O_WRONLY);
                if (request.WorkingDirectory is not null)
                {
                    Check(LibC.PosixSpawnFileActionsAddChdir(fileActions, workingDirectory), "posix_spawn_file_actions_addchdir_np");
                }

                // The .NET runtime ignores SIGPIPE and may block signals on the calling thread; a
                // child (and the container it becomes) must start with default dispositions and an
                // empty mask, or `yes | head` would never end inside a container.
                Check(LibC.SigFillSet(signals), "sigfillset");
                Check(LibC.PosixSpawnAttrSetSigDefault(attributes, signals), "posix_spawnattr_setsigdefault");
                Check(LibC.SigEmptySet(signals), "sigemptyset");
                Check(LibC.PosixSpawnAttrSetSigMask(attributes, signals), "posix_spawnattr_setsigmask");
                Check(LibC.PosixSpawnAttrSetFlags(attributes, LibC.POSIX_SPAWN_SETSIGDEF | LibC.POSIX_SPAWN_SETSIGMASK), "posix_spawnattr_setflags");

                int pid;
                var error = LibC.PosixSpawn(&pid, argv[0], fileActions, attributes, argv, envp);
                if (error != 0)
                {
                    throw new SystemCallException("posix_spawn", error, request.Path);
                }

                return pid;
            }
            finally
            {
                LibC.PosixSpawnAttrDestroy(attributes);
            }
        }
        finally
        {
            LibC.PosixSpawnFileActionsDestroy(fileActions);
        }
    }

    private static void Redirect(void* fileActions, int? source, int target, byte* devNull, int flags)
    {
        if (source is { } fd)
        {
            // dup2 onto the target clears close-on-exec there; the source stays close-on-exec.
            Check(LibC.PosixSpawnFileActionsAddDup2(fileActions, fd, target), "posix_spawn_file_actions_adddup2");
        }
        else
        {
            Check(LibC.PosixSpawnFileActionsAddOpen(fileActions, target, devNull, flags, 0), "posix_spawn_file_actions_addopen");
        }
    }

    private static void Check(int error, string operation)
    {
        if (error != 0)
        {
            throw new SystemCallException(operation, error);
        }
    }
}
