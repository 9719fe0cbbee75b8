namespace Sealpod.Linux.Processes;

/// <summary>
/// posix_spawn for the processes the shim runs beside containerd's (the hypervisor, virtiofsd, logging binaries), for
/// what <see cref="System.Diagnostics.Process"/> cannot do: hand the child descriptors at fixed numbers, and leave
/// the reaping to the owner (waitpid on its own pid only). The child starts the way any program expects: no blocked
/// signal, SIGPIPE (which .NET ignores) back to its default.
/// </summary>
public static class PosixSpawner
{
    /// <summary>The child's number for the first passed descriptor; the next ones follow (4, 5 ...).</summary>
    public const int FirstPassedDescriptor = 3;

    /// <summary>Starts the process and returns its pid.</summary>
    /// <exception cref="IOException">posix_spawn or one of its set-up steps failed (the message names which).</exception>
    /// <exception cref="SystemCallException">a passed descriptor could not be duplicated.</exception>
    public static unsafe int Spawn(SpawnRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var passed = request.PassedDescriptors;

        // Copies above every target number first, so one dup2 never overwrites a source another still needs; they are
        // close-on-exec here, and dup2 clears that flag on the target in the child only.
        var sources = new List<int>(passed.Count);
        var referenced = new List<SafeHandle>(passed.Count);
        using var strings = new SpawnStrings();
        void* actions = NativeMemory.AllocZeroed(LibC.SpawnFileActionsSize);
        void* attributes = NativeMemory.AllocZeroed(LibC.SpawnAttrSize);
        void* noSignals = NativeMemory.AllocZeroed(LibC.SigSetSize);
        void* defaults = NativeMemory.AllocZeroed(LibC.SigSetSize);
        try
        {
            foreach (var handle in passed)
            {
                var added = false;
                handle.DangerousAddRef(ref added);
                referenced.Add(handle);
                int copy = LibC.Fcntl((int)handle.DangerousGetHandle(), LibC.F_DUPFD_CLOEXEC, FirstPassedDescriptor + passed.Count);
                if (copy < 0)
                {
                    throw SystemCallException.FromLastError($"duplicate descriptor {handle.DangerousGetHandle()} for {request.Executable}");
                }

                sources.Add(copy);
            }

            Check(LibC.PosixSpawnFileActionsInit(actions), "posix_spawn_file_actions_init");
            Check(LibC.PosixSpawnAttrInit(attributes), "posix_spawnattr_init");
            try
            {
                LibC.SigEmptySet(noSignals);
                LibC.SigEmptySet(defaults);
                LibC.SigAddSet(defaults, LibC.SIGPIPE);
                Check(LibC.PosixSpawnAttrSetSigMask(attributes, noSignals), "posix_spawnattr_setsigmask");
                Check(LibC.PosixSpawnAttrSetSigDefault(attributes, defaults), "posix_spawnattr_setsigdefault");
                Check(LibC.PosixSpawnAttrSetFlags(attributes, (short)(LibC.POSIX_SPAWN_SETSIGMASK | LibC.POSIX_SPAWN_SETSIGDEF)), "posix_spawnattr_setflags");

                // stdin is never read: /dev/null, so the child can neither block on nor inherit the caller's.
                byte* devNull = strings.Utf8("/dev/null");
                Check(LibC.PosixSpawnFileActionsAddOpen(actions, 0, devNull, LibC.O_RDONLY, 0), "addopen stdin");
                if (request.OutputDescriptor is { } output)
                {
                    Check(LibC.PosixSpawnFileActionsAddDup2(actions, output, 1), "adddup2 stdout");
                    Check(LibC.PosixSpawnFileActionsAddDup2(actions, output, 2), "adddup2 stderr");
                }
                else
                {
                    Check(LibC.PosixSpawnFileActionsAddOpen(actions, 1, devNull, LibC.O_WRONLY, 0), "addopen stdout");
                    Check(LibC.PosixSpawnFileActionsAddOpen(actions, 2, devNull, LibC.O_WRONLY, 0), "addopen stderr");
                }

                for (int i = 0; i < sources.Count; i++)
                {
                    Check(LibC.PosixSpawnFileActionsAddDup2(actions, sources[i], FirstPassedDescriptor + i), "adddup2");
                }

                if (request.WorkingDirectory is { } directory)
                {
                    Check(LibC.PosixSpawnFileActionsAddChdir(actions, strings.Utf8(directory)), "addchdir");
                }

                int pid;
                int error = LibC.PosixSpawn(&pid, strings.Utf8(request.Executable), actions, attributes,
                    strings.Vector([request.Executable, .. request.Arguments]), strings.Vector(request.Environment));
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
            foreach (int source in sources)
            {
                LibC.Close(source);
            }

            foreach (var handle in referenced)
            {
                handle.DangerousRelease();
            }

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
}
