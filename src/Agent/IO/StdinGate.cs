namespace Sealpod.Agent.IO;

/// <summary>
/// A process's stdin as pipes and terminals both guard it: one write at a time (WriteStdin calls may overlap, their
/// bytes must not interleave), and none once stdin is closed. Each IO maps its own descriptor's errors.
/// </summary>
internal sealed class StdinGate
{
    private readonly SemaphoreSlim _writes = new(1, 1);
    private int _closed;

    /// <summary>Marks stdin closed; false if it already was (two racing CloseStdin calls: only one sends VEOF).</summary>
    public bool Close() => Interlocked.Exchange(ref _closed, 1) == 0;

    /// <summary>Writes <paramref name="data"/> after any write in progress; refused once stdin is closed.</summary>
    public ValueTask WriteAsync(AsyncFd target, ReadOnlyMemory<byte> data, CancellationToken cancellationToken) =>
        WriteAsync(target, data, refuseWhenClosed: true, cancellationToken);

    /// <summary>The write that closing sends (a terminal's VEOF): queued behind the others, made although closed.</summary>
    public ValueTask WriteClosingAsync(AsyncFd target, ReadOnlyMemory<byte> data) =>
        WriteAsync(target, data, refuseWhenClosed: false, CancellationToken.None);

    private async ValueTask WriteAsync(AsyncFd target, ReadOnlyMemory<byte> data, bool refuseWhenClosed, CancellationToken cancellationToken)
    {
        await _writes.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (refuseWhenClosed && Volatile.Read(ref _closed) != 0)
            {
                throw new FailedPreconditionException("stdin is closed");
            }

            await target.WriteAsync(data, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _writes.Release();
        }
    }
}
