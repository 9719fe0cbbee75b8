using System.IO.Pipelines;
using System.Threading.Channels;

namespace Sealpod.Rpc.Ttrpc;

/// <summary>
/// One ttrpc connection over any duplex stream (a unix or vsock socket, a virtio-serial port...):
/// a receive loop cuts frames out of a pipe and hands them to the owner, a send loop drains a
/// single-reader channel of serialized frames and writes them in batches.
/// </summary>
internal sealed class TtrpcConnection : IAsyncDisposable
{
    // Frames queued together are copied into one buffer of this size and written with one syscall.
    private const int BatchLength = 64 * 1024;

    private readonly Stream _stream;
    private readonly ITtrpcFrameHandler _handler;
    private readonly PipeReader _reader;
    private readonly Channel<OutgoingFrame> _outgoing;
    private readonly CancellationTokenSource _closedSource = new();
    private Task _completion = Task.CompletedTask;
    private int _started;
    private int _closed;

    public TtrpcConnection(Stream stream, ITtrpcFrameHandler handler)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(handler);
        _stream = stream;
        _handler = handler;
        _reader = PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: 64 * 1024, minimumReadSize: 4096, leaveOpen: true));
        _outgoing = Channel.CreateUnbounded<OutgoingFrame>(new UnboundedChannelOptions
        {
            SingleReader = true,
            SingleWriter = false,
            AllowSynchronousContinuations = false,
        });
        Closed = _closedSource.Token;
    }

    /// <summary>Cancelled when the connection closes, for whatever reason.</summary>
    public CancellationToken Closed { get; }

    public bool IsClosed => Volatile.Read(ref _closed) != 0;

    /// <summary>Why the connection closed: null for a local close or a clean end of stream.</summary>
    public Exception? CloseReason { get; private set; }

    /// <summary>Completes when both loops have ended.</summary>
    public Task Completion => _completion;

    public void Start()
    {
        if (Interlocked.Exchange(ref _started, 1) != 0)
        {
            throw new InvalidOperationException("The connection is already started.");
        }

        _completion = Task.WhenAll(Task.Run(ReceiveLoopAsync), Task.Run(SendLoopAsync));
    }

    /// <summary>Queues a frame; returns false, keeping ownership with the caller, once the connection is closed.</summary>
    public bool TrySend(in OutgoingFrame frame) => !IsClosed && _outgoing.Writer.TryWrite(frame);

    /// <summary>Closes the connection once; later calls do nothing. Pending work learns of it through the handler.</summary>
    public void Close(Exception? reason = null)
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0)
        {
            return;
        }

        CloseReason = reason;
        _outgoing.Writer.TryComplete();
        try
        {
            _handler.OnClosed(reason);
            _closedSource.Cancel();
        }
        finally
        {
            // Disposing the stream is what interrupts a read or write blocked in the kernel.
            _stream.Dispose();
        }
    }

    /// <summary>Closes the connection and waits for both loops to end.</summary>
    /// <remarks>The token source behind <see cref="Closed"/> is left undisposed on purpose: it has no timer,
    /// and a concurrent <see cref="Close"/> may still be cancelling it.</remarks>
    public async ValueTask DisposeAsync()
    {
        Close();
        await Completion.ConfigureAwait(false);
    }

    private async Task ReceiveLoopAsync()
    {
        Exception? error = null;
        long skipping = 0;
        try
        {
            while (true)
            {
                ReadResult result = await _reader.ReadAsync(Closed).ConfigureAwait(false);
                ReadOnlySequence<byte> buffer = result.Buffer;
                ProcessFrames(ref buffer, ref skipping);
                _reader.AdvanceTo(buffer.Start, buffer.End);
                if (result.IsCompleted || result.IsCanceled)
                {
                    if (!buffer.IsEmpty || skipping != 0)
                    {
                        error = new EndOfStreamException("The peer closed the ttrpc connection in the middle of a frame.");
                    }

                    break;
                }
            }
        }
        catch (Exception e) when (IsClosed && e is OperationCanceledException or ObjectDisposedException or IOException or SocketException)
        {
            // Our own Close interrupted the read.
        }
        catch (Exception e)
        {
            error = e;
        }
        finally
        {
            await _reader.CompleteAsync().ConfigureAwait(false);
            Close(error);
        }
    }

    private void ProcessFrames(ref ReadOnlySequence<byte> buffer, ref long skipping)
    {
        while (true)
        {
            if (skipping != 0 && !TtrpcFrameReader.TrySkip(ref buffer, ref skipping))
            {
                return;
            }

            if (!TtrpcFrameReader.TryReadFrame(ref buffer, out TtrpcFrameHeader header, out ReadOnlySequence<byte> payload))
            {
                return;
            }

            if (header.IsOversized)
            {
                skipping = header.Length;
                _handler.OnOversizedFrame(header);
            }
            else
            {
                _handler.OnFrame(header, payload);
            }
        }
    }

    private async Task SendLoopAsync()
    {
        ChannelReader<OutgoingFrame> frames = _outgoing.Reader;
        byte[] batch = ArrayPool<byte>.Shared.Rent(BatchLength);
        try
        {
            while (await frames.WaitToReadAsync().ConfigureAwait(false))
            {
                await WriteQueuedAsync(frames, batch).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (IsClosed && e is OperationCanceledException or ObjectDisposedException or IOException or SocketException)
        {
            // Our own Close interrupted the write.
        }
        catch (Exception e)
        {
            Close(e);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(batch);
            while (frames.TryRead(out OutgoingFrame frame))
            {
                frame.Return();
            }
        }
    }

    /// <summary>Writes everything queued, copying small frames into one batch per write.</summary>
    private async Task WriteQueuedAsync(ChannelReader<OutgoingFrame> frames, byte[] batch)
    {
        int used = 0;
        while (frames.TryRead(out OutgoingFrame frame))
        {
            try
            {
                if (frame.Length > batch.Length - used)
                {
                    if (used != 0)
                    {
                        await _stream.WriteAsync(batch.AsMemory(0, used)).ConfigureAwait(false);
                        used = 0;
                    }

                    if (frame.Length > batch.Length)
                    {
                        await _stream.WriteAsync(frame.Memory).ConfigureAwait(false);
                        continue;
                    }
                }

                frame.Span.CopyTo(batch.AsSpan(used));
                used += frame.Length;
            }
            finally
            {
                frame.Return();
            }
        }

        if (used != 0)
        {
            await _stream.WriteAsync(batch.AsMemory(0, used)).ConfigureAwait(false);
        }

        await _stream.FlushAsync().ConfigureAwait(false);
    }
}
