namespace Sealpod.Rpc.Ttrpc;

/// <summary>
/// A fully serialized frame (header and payload) in a pooled buffer, on its way to the send loop.
/// Whoever holds it last returns the buffer: the send loop after writing, or the producer if the
/// connection refused it.
/// </summary>
internal readonly struct OutgoingFrame
{
    private readonly byte[] _buffer;

    private OutgoingFrame(byte[] buffer, int length)
    {
        _buffer = buffer;
        Length = length;
    }

    public int Length { get; }

    public ReadOnlySpan<byte> Span => _buffer.AsSpan(0, Length);

    public ReadOnlyMemory<byte> Memory => _buffer.AsMemory(0, Length);

    /// <summary>The payload area after the header, for the producer to fill.</summary>
    public Span<byte> Payload => _buffer.AsSpan(TtrpcProtocol.HeaderLength, Length - TtrpcProtocol.HeaderLength);

    /// <summary>Rents a frame for <paramref name="payloadLength"/> bytes, refusing what the peer would have to reject.</summary>
    public static OutgoingFrame Rent(int payloadLength)
    {
        if (payloadLength > TtrpcProtocol.MaxPayloadLength)
        {
            throw new RpcException(
                StatusCode.ResourceExhausted,
                $"message length {payloadLength} exceeds maximum message size of {TtrpcProtocol.MaxPayloadLength}");
        }

        int length = TtrpcProtocol.HeaderLength + payloadLength;
        return new OutgoingFrame(ArrayPool<byte>.Shared.Rent(length), length);
    }

    public void WriteHeader(uint streamId, TtrpcMessageType type, TtrpcFrameFlags flags) =>
        new TtrpcFrameHeader((uint)(Length - TtrpcProtocol.HeaderLength), streamId, type, flags).WriteTo(_buffer);

    public void Return() => ArrayPool<byte>.Shared.Return(_buffer);
}
