using System.Numerics;

namespace Sealpod.Rpc.Protobuf;

/// <summary>
/// Writes protobuf fields into a span that the caller sized with the matching <c>Size*</c> methods.
/// Proto3 rules apply: the callers skip fields that hold their default value.
/// </summary>
internal ref struct ProtoWriter
{
    private readonly Span<byte> _destination;
    private int _position;

    public ProtoWriter(Span<byte> destination)
    {
        _destination = destination;
        _position = 0;
    }

    public readonly int Position => _position;

    public static int SizeOfVarint(ulong value)
    {
        // Seven payload bits per byte; value | 1 keeps zero at one byte.
        return (BitOperations.Log2(value | 1) / 7) + 1;
    }

    public static int SizeOfTag(int fieldNumber) => SizeOfVarint((uint)fieldNumber << 3);

    public static int SizeOfLengthDelimited(int fieldNumber, int length) =>
        SizeOfTag(fieldNumber) + SizeOfVarint((uint)length) + length;

    public static int SizeOfString(int fieldNumber, string value) =>
        SizeOfLengthDelimited(fieldNumber, Encoding.UTF8.GetByteCount(value));

    /// <summary>Size of an int32/int64 varint field; negative values take ten bytes, as protobuf sign-extends them.</summary>
    public static int SizeOfInt64(int fieldNumber, long value) =>
        SizeOfTag(fieldNumber) + SizeOfVarint((ulong)value);

    public void WriteTag(int fieldNumber, ProtoWireType wireType) =>
        WriteVarint(((uint)fieldNumber << 3) | (uint)wireType);

    public void WriteVarint(ulong value)
    {
        Span<byte> destination = _destination;
        int position = _position;
        while (value >= 0x80)
        {
            destination[position++] = (byte)(value | 0x80);
            value >>= 7;
        }

        destination[position++] = (byte)value;
        _position = position;
    }

    public void WriteInt64(int fieldNumber, long value)
    {
        WriteTag(fieldNumber, ProtoWireType.Varint);
        WriteVarint((ulong)value);
    }

    public void WriteString(int fieldNumber, string value)
    {
        WriteTag(fieldNumber, ProtoWireType.LengthDelimited);
        int length = Encoding.UTF8.GetByteCount(value);
        WriteVarint((uint)length);
        _position += Encoding.UTF8.GetBytes(value, _destination.Slice(_position, length));
    }

    public void WriteBytes(int fieldNumber, ReadOnlySpan<byte> value)
    {
        WriteLengthPrefix(fieldNumber, value.Length);
        value.CopyTo(_destination[_position..]);
        _position += value.Length;
    }

    /// <summary>Writes a tag and a length, and returns the span the caller fills with exactly that many bytes.</summary>
    public Span<byte> WriteLengthDelimited(int fieldNumber, int length)
    {
        WriteLengthPrefix(fieldNumber, length);
        Span<byte> body = _destination.Slice(_position, length);
        _position += length;
        return body;
    }

    /// <summary>Writes a tag and a length; the caller then writes the body with this writer.</summary>
    public void WriteLengthPrefix(int fieldNumber, int length)
    {
        WriteTag(fieldNumber, ProtoWireType.LengthDelimited);
        WriteVarint((uint)length);
    }
}
