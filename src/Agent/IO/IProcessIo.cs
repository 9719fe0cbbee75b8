namespace Sealpod.Agent.IO;

/// <summary>
/// The agent's side of a container process's standard streams: pipes, or a pty master. Reads are
/// long polls that return 0 only at end of stream, after everything written was read.
/// </summary>
internal interface IProcessIo : IDisposable
{
    /// <summary>The descriptors the runtime must pass to the process (pipes), or null for a terminal.</summary>
    Runtime.RuntimeStdio? ChildStdio { get; }

    /// <summary>Completes once stdout and stderr both reached end of stream (or the I/O was disposed).</summary>
    Task Drained { get; }

    /// <summary>Closes the agent's copies of the child's ends, once the runtime has handed them on.</summary>
    void ReleaseChildEnds();

    ValueTask<int> ReadAsync(OutputStream stream, Memory<byte> buffer, CancellationToken cancellationToken);

    ValueTask WriteStdinAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken);

    /// <summary>Lets the process see end of input.</summary>
    void CloseStdin();

    void Resize(uint rows, uint columns);
}
