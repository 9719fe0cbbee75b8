namespace Sealpod.Agent.IO;

/// <summary>Three pipes: the process's stdin, stdout and stderr.</summary>
internal sealed class PipeIo : IProcessIo
{
    private readonly PipePair _stdin;
    private readonly PipePair _stdout;
    private readonly PipePair _stderr;
    private readonly AsyncFd _stdinWriter;
    private readonly OutputReader _stdoutReader;
    private readonly OutputReader _stderrReader;
    private readonly StdinGate _stdinGate = new();

    public PipeIo(FdPoller poller)
    {
        ArgumentNullException.ThrowIfNull(poller);
        _stdin = PipePair.Create();
        _stdout = PipePair.Create();
        _stderr = PipePair.Create();
        _stdinWriter = poller.Register(_stdin.TakeWriteEnd());
        _stdoutReader = new OutputReader(poller.Register(_stdout.TakeReadEnd()));
        _stderrReader = new OutputReader(poller.Register(_stderr.TakeReadEnd()));
        ChildStdio = new RuntimeStdio(_stdin.ReadFd, _stdout.WriteFd, _stderr.WriteFd);
        Drained = Task.WhenAll(_stdoutReader.Ended, _stderrReader.Ended);
    }

    public RuntimeStdio? ChildStdio { get; private set; }

    public Task Drained { get; }

    public void ReleaseChildEnds()
    {
        ChildStdio = null;
        _stdin.Dispose();
        _stdout.Dispose();
        _stderr.Dispose();
    }

    public ValueTask<int> ReadAsync(OutputStream stream, Memory<byte> buffer, CancellationToken cancellationToken) =>
        (stream == OutputStream.Stdout ? _stdoutReader : _stderrReader).ReadAsync(buffer, cancellationToken);

    public async ValueTask WriteStdinAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        try
        {
            await _stdinGate.WriteAsync(_stdinWriter, data, cancellationToken).ConfigureAwait(false);
        }
        catch (SystemCallException e) when (e.Errno == LibC.EPIPE)
        {
            throw new Errors.FailedPreconditionException("the process closed its stdin", e);
        }
        catch (ObjectDisposedException e)
        {
            throw new Errors.FailedPreconditionException("stdin was closed during the write", e);
        }
    }

    /// <summary>
    /// Closes the write end at once. A write still waiting for the process to read (the pipe is
    /// full) fails rather than holding the close up: a process that never reads would block it forever.
    /// </summary>
    public void CloseStdin()
    {
        _stdinGate.Close();
        _stdinWriter.Dispose();
    }

    public void Resize(uint rows, uint columns) =>
        throw new Errors.FailedPreconditionException("the process has no terminal");

    public void Dispose()
    {
        ReleaseChildEnds();
        _stdinGate.Close();
        _stdinWriter.Dispose();
        _stdoutReader.Dispose();
        _stderrReader.Dispose();
    }
}
