namespace Sealpod.Agent.Processes;

/// <summary>
/// Runs a helper program (the OCI runtime CLI, modprobe) to completion through the reaper and
/// captures its output. Standard streams given in the request are passed through instead of
/// captured (runc create hands its own stdio to the container).
/// </summary>
internal sealed class CommandRunner
{
    // Enough for any runtime error message; a runaway writer cannot exhaust memory.
    private const int MaxCapturedBytes = 1 << 20;

    private readonly ChildReaper _reaper;
    private readonly FdPoller _poller;

    public CommandRunner(ChildReaper reaper, FdPoller poller)
    {
        _reaper = reaper;
        _poller = poller;
    }

    public static IReadOnlyList<string> DefaultEnvironment { get; } =
        ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"];

    public async Task<CommandResult> RunAsync(SpawnRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var stdout = request.StandardOutput is null ? PipePair.Create() : null;
        using var stderr = request.StandardError is null ? PipePair.Create() : null;
        var spawn = request with
        {
            StandardOutput = request.StandardOutput ?? stdout!.WriteFd,
            StandardError = request.StandardError ?? stderr!.WriteFd,
            Environment = request.Environment.Count == 0 ? DefaultEnvironment : request.Environment,
        };

        var child = _reaper.Spawn(spawn);

        // Only the child may hold the write ends now, so end of file means it closed them.
        stdout?.CloseWriteEnd();
        stderr?.CloseWriteEnd();
        var readOut = stdout is null ? Task.FromResult(string.Empty) : DrainAsync(stdout, cancellationToken);
        var readErr = stderr is null ? Task.FromResult(string.Empty) : DrainAsync(stderr, cancellationToken);

        ExitStatus status;
        try
        {
            status = await child.Exited.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            LibC.Kill(child.Pid, 9);
            await child.Exited.ConfigureAwait(false);
            throw;
        }

        return new CommandResult(status, await readOut.ConfigureAwait(false), await readErr.ConfigureAwait(false));
    }

    private async Task<string> DrainAsync(PipePair pipe, CancellationToken cancellationToken)
    {
        using var reader = _poller.Register(pipe.TakeReadEnd());
        var output = new MemoryStream();
        var buffer = new byte[16 * 1024];
        while (true)
        {
            var read = await reader.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }

            if (output.Length < MaxCapturedBytes)
            {
                output.Write(buffer, 0, (int)Math.Min(read, MaxCapturedBytes - output.Length));
            }
        }

        return Encoding.UTF8.GetString(output.GetBuffer(), 0, (int)output.Length);
    }
}
