using System.Buffers;

namespace Sealpod.Fuzz;

/// <summary>
/// A duplex stream for wire targets: reads return the fuzz input a few bytes at a time (so frames arrive split at
/// every boundary, as over a socket), then end. What is written is dropped once <paramref name="framesBeforeInput"/>
/// ttrpc frames have gone out; until then reads wait, so a client's requests are registered before the replies.
/// </summary>
internal sealed class FuzzStream(byte[] input, int framesBeforeInput = 0) : Stream
{
    private readonly TaskCompletionSource _writesDone = NewGate(framesBeforeInput);
    private readonly List<byte> _written = [];
    private int _position;

    public override bool CanRead => true;

    public override bool CanWrite => true;

    public override bool CanSeek => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        _writesDone.Task.Wait();
        return Take(buffer);
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        await _writesDone.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        return Take(buffer.Span);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count) => Wrote(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer) => Wrote(buffer);

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Wrote(buffer.Span);
        return ValueTask.CompletedTask;
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        Wrote(buffer.AsSpan(offset, count));
        return Task.CompletedTask;
    }

    public override void Flush()
    {
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    private static TaskCompletionSource NewGate(int writes)
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (writes == 0)
        {
            gate.SetResult();
        }

        return gate;
    }

    private void Wrote(ReadOnlySpan<byte> bytes)
    {
        lock (_written)
        {
            if (_writesDone.Task.IsCompleted)
            {
                return;
            }

            _written.AddRange(bytes);
            var frames = 0;
            var sequence = new ReadOnlySequence<byte>([.. _written]);
            while (TtrpcFrameReader.TryReadFrame(ref sequence, out _, out _))
            {
                frames++;
            }

            if (frames >= framesBeforeInput)
            {
                _writesDone.TrySetResult();
            }
        }
    }

    private int Take(Span<byte> buffer)
    {
        // 1 to 7 bytes per read: deterministic for a given input, and every frame gets split somewhere.
        var chunk = Math.Min(buffer.Length, Math.Min(input.Length - _position, 1 + (_position % 7)));
        input.AsSpan(_position, chunk).CopyTo(buffer);
        _position += chunk;
        return chunk;
    }
}
