using System.IO.Pipelines;

namespace Sealpod.Rpc.Tests.Support;

/// <summary>
/// One end of an in-memory duplex connection. Reads can be cut into small pieces to exercise every
/// partial-frame path of a reader (the TrickleStream idea from dotnet/runtime's fuzzers).
/// </summary>
internal sealed class DuplexPipeStream : Stream
{
    private readonly PipeReader _input;
    private readonly PipeWriter _output;
    private readonly Func<int, int> _chunk;

    private DuplexPipeStream(PipeReader input, PipeWriter output, Func<int, int> chunk)
    {
        _input = input;
        _output = output;
        _chunk = chunk;
    }

    /// <summary>Creates both ends; <paramref name="chunk"/> maps a read request size to how much one read returns.</summary>
    public static (DuplexPipeStream A, DuplexPipeStream B) CreatePair(Func<int, int>? chunk = null)
    {
        chunk ??= requested => requested;
        var ab = new Pipe(new PipeOptions(useSynchronizationContext: false));
        var ba = new Pipe(new PipeOptions(useSynchronizationContext: false));
        return (new DuplexPipeStream(ba.Reader, ab.Writer, chunk), new DuplexPipeStream(ab.Reader, ba.Writer, chunk));
    }

    public static Func<int, int> OneByte => _ => 1;

    public static Func<int, int> RandomChunks(int seed)
    {
        var random = new Random(seed);
        return requested => Math.Max(1, random.Next(1, Math.Min(requested, 37) + 1));
    }

    public override bool CanRead => true;

    public override bool CanWrite => true;

    public override bool CanSeek => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ReadResult result = await _input.ReadAsync(cancellationToken);
        System.Buffers.ReadOnlySequence<byte> data = result.Buffer;
        if (data.IsEmpty && result.IsCompleted)
        {
            _input.AdvanceTo(data.End);
            return 0;
        }

        int count = (int)Math.Min(Math.Min(data.Length, buffer.Length), _chunk(buffer.Length));
        System.Buffers.BuffersExtensions.CopyTo(data.Slice(0, count), buffer.Span);
        _input.AdvanceTo(data.GetPosition(count));
        return count;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count).GetAwaiter().GetResult();

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        FlushResult result = await _output.WriteAsync(buffer, cancellationToken);
        if (result.IsCompleted)
        {
            throw new IOException("The other end of the duplex pipe is closed.");
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer, offset, count).GetAwaiter().GetResult();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _output.Complete();
            _input.CancelPendingRead();
            _input.Complete();
        }

        base.Dispose(disposing);
    }
}
