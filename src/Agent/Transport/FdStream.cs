namespace Sealpod.Agent.Transport;

/// <summary>A duplex <see cref="Stream"/> over a non-blocking descriptor (an accepted vsock connection).</summary>
internal sealed class FdStream : DuplexStream
{
    private readonly AsyncFd _fd;

    public FdStream(AsyncFd fd)
    {
        _fd = fd;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        _fd.ReadAsync(buffer, cancellationToken);

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
        _fd.WriteAsync(buffer, cancellationToken);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _fd.Dispose();
        }

        base.Dispose(disposing);
    }
}
