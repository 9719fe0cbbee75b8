namespace Sealpod.Rpc.Ttrpc;

/// <summary>
/// An outgoing message body: either bytes that are already serialized or a protobuf message that is
/// serialized straight into the frame buffer, so a typed call costs no intermediate array.
/// </summary>
public readonly struct TtrpcPayload
{
    private readonly IMessage? _message;
    private readonly ReadOnlyMemory<byte> _bytes;

    private TtrpcPayload(IMessage? message, ReadOnlyMemory<byte> bytes, int length)
    {
        _message = message;
        _bytes = bytes;
        Length = length;
    }

    /// <summary>The empty message (what <c>google.protobuf.Empty</c> serializes to).</summary>
    public static TtrpcPayload Empty => default;

    /// <summary>The serialized size in bytes.</summary>
    public int Length { get; }

    public static TtrpcPayload FromBytes(ReadOnlyMemory<byte> bytes) => new(null, bytes, bytes.Length);

    /// <summary>Wraps <paramref name="message"/>; its size is computed now, so do not change it until it is sent.</summary>
    public static TtrpcPayload FromMessage(IMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return new TtrpcPayload(message, default, message.CalculateSize());
    }

    /// <summary>Serializes into exactly <see cref="Length"/> bytes of <paramref name="destination"/>.</summary>
    public void WriteTo(Span<byte> destination)
    {
        if (_message is not null)
        {
            _message.WriteTo(destination[..Length]);
        }
        else
        {
            _bytes.Span.CopyTo(destination);
        }
    }
}
