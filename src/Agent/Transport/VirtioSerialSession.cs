namespace Sealpod.Agent.Transport;

/// <summary>
/// One host session of a <see cref="VirtioSerialPort"/>, as the stream a ttrpc connection serves.
/// Disposing ends the session only; the port stays open. Writes after the session ended are
/// refused, so a late reply of the old session never reaches the next host.
/// </summary>
internal sealed class VirtioSerialSession : DuplexStream
{
    private readonly VirtioSerialPort _port;
    private readonly long _session;
    private bool _ended;

    public VirtioSerialSession(VirtioSerialPort port, long session)
    {
        _port = port;
        _session = session;
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

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
        _ended
            ? ValueTask.FromException(new IOException("The host session on the virtio-serial port has ended."))
            : _port.WriteAsync(_session, buffer, cancellationToken);

    protected override void Dispose(bool disposing)
    {
        _ended = true;
        base.Dispose(disposing);
    }
}
