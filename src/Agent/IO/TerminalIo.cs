namespace Sealpod.Agent.IO;

/// <summary>
/// A pty master received from the runtime: stdout and stdin of the process, which has no
/// separate stderr (reads of it end at once).
/// </summary>
internal sealed class TerminalIo : IProcessIo
{
    // VEOF (^D): at the start of a line a canonical-mode terminal reports end of input.
    private static readonly byte[] EndOfInput = [0x04];

    private readonly AsyncFd _master;
    private readonly OutputReader _output;
    private readonly OutputReader _noStderr = new(null);
    private readonly StdinGate _stdinGate = new();

    public TerminalIo(FdPoller poller, SafeFileHandle master)
    {
        ArgumentNullException.ThrowIfNull(poller);
        _master = poller.Register(master);
        _output = new OutputReader(_master);
        Drained = _output.Ended;
    }

    public RuntimeStdio? ChildStdio => null;

    public Task Drained { get; }

    public void ReleaseChildEnds()
    {
    }

    public ValueTask<int> ReadAsync(OutputStream stream, Memory<byte> buffer, CancellationToken cancellationToken) =>
        (stream == OutputStream.Stdout ? _output : _noStderr).ReadAsync(buffer, cancellationToken);

    public async ValueTask WriteStdinAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        try
        {
            await _stdinGate.WriteAsync(_master, data, cancellationToken).ConfigureAwait(false);
        }
        catch (SystemCallException e) when (e.Errno is LibC.EIO or LibC.EPIPE)
        {
            throw new Errors.FailedPreconditionException("the terminal is closed", e);
        }
    }

    /// <summary>
    /// A pty cannot be half-closed: the master carries output too. The process sees end of input
    /// the way an interactive user sends it, as VEOF, queued behind any write in progress and sent
    /// without holding up the caller.
    /// </summary>
    public void CloseStdin()
    {
        if (_stdinGate.Close())
        {
            _ = SendEndOfInputAsync();
        }
    }

    public void Resize(uint rows, uint columns)
    {
        var size = new LibC.WinSize { Rows = (ushort)Math.Min(rows, ushort.MaxValue), Columns = (ushort)Math.Min(columns, ushort.MaxValue) };
        _master.WithDescriptor(fd => SetWindowSize(fd, size));
    }

    public void Dispose()
    {
        _stdinGate.Close();
        _output.Dispose();
        _master.Dispose();
    }

    private async Task SendEndOfInputAsync()
    {
        try
        {
            await _stdinGate.WriteClosingAsync(_master, EndOfInput).ConfigureAwait(false);
        }
        catch (Exception e) when (e is SystemCallException or ObjectDisposedException)
        {
            // The terminal is already gone: its reader has seen the end anyway.
        }
    }

    private static unsafe int SetWindowSize(int fd, LibC.WinSize size) =>
        SystemCallException.ThrowIfFailed(LibC.Ioctl(fd, LibC.TIOCSWINSZ, (nint)(&size)), "ioctl(TIOCSWINSZ)");
}
