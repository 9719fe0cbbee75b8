namespace Sealpod.Agent.Transport;

/// <summary>
/// One host session of a <see cref="VirtioSerialPort"/>, as the stream a ttrpc connection serves.
/// Disposing ends the session only; the port stays open. Writes after the session ended are
/// refused, so a late reply of the old session never reaches the next host.
/// </summary>
internal sealed class VirtioSerialSession : Stream
{
    private readonly VirtioSerialPort _port;
    private readonly long _session;
    private bool _ended;

    public VirtioSerialSession(VirtioSerialPort port, long session)
    {
        _port = port;
        _session = session;
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_ended)
        {
            return 0;
        }

        var read = await _port.ReadAsync(_session, buffer, cancellationToken).ConfigureAwait(false);
        _ended = read == 0;
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
        _ended
            ? ValueTask.FromException(new IOException("The host session on the virtio-serial port has ended."))
            : _port.WriteAsync(_session, buffer, cancellationToken);

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) =>
        ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override void Write(byte[] buffer, int offset, int count) =>
        WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override void Flush()
    {
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        _ended = true;
        base.Dispose(disposing);
    }
}
