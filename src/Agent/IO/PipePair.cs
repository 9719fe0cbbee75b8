namespace Sealpod.Agent.IO;

/// <summary>
/// Both ends of a close-on-exec pipe. An end can be taken (its new owner closes it) or closed;
/// disposing closes whatever is still here.
/// </summary>
internal sealed unsafe class PipePair : IDisposable
{
    private SafeFileHandle? _readEnd;
    private SafeFileHandle? _writeEnd;

    private PipePair(SafeFileHandle readEnd, SafeFileHandle writeEnd)
    {
        _readEnd = readEnd;
        _writeEnd = writeEnd;
    }

    public int ReadFd => Fd(_readEnd);

    public int WriteFd => Fd(_writeEnd);

    public static PipePair Create()
    {
        var fds = stackalloc int[2];
        SystemCallException.ThrowIfFailed(LibC.Pipe2(fds, LibC.O_CLOEXEC), "pipe2");
        return new PipePair(new SafeFileHandle(fds[0], ownsHandle: true), new SafeFileHandle(fds[1], ownsHandle: true));
    }

    public SafeFileHandle TakeReadEnd() => Take(ref _readEnd);

    public SafeFileHandle TakeWriteEnd() => Take(ref _writeEnd);

    public void CloseReadEnd() => Take(ref _readEnd).Dispose();

    public void CloseWriteEnd() => Take(ref _writeEnd).Dispose();

    public void Dispose()
    {
        _readEnd?.Dispose();
        _writeEnd?.Dispose();
        _readEnd = null;
        _writeEnd = null;
    }

    private static SafeFileHandle Take(ref SafeFileHandle? end)
    {
        var taken = end ?? throw new InvalidOperationException("This end of the pipe was already taken or closed.");
        end = null;
        return taken;
    }

    private static int Fd(SafeFileHandle? end) =>
        (int)(end ?? throw new InvalidOperationException("This end of the pipe was already taken or closed.")).DangerousGetHandle();
}
