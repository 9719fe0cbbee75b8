using System.Buffers;

namespace Sealpod.Grpc.Internal;

/// <summary>A received message in a pooled buffer, returned to the pool on dispose.</summary>
internal sealed class RentedMessage(byte[] buffer, int length) : IDisposable
{
    private byte[]? _buffer = buffer;

    public ReadOnlySpan<byte> Span => (_buffer ?? throw new ObjectDisposedException(nameof(RentedMessage))).AsSpan(0, length);

    public void Dispose()
    {
        byte[]? buffer = Interlocked.Exchange(ref _buffer, null);
        if (buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
