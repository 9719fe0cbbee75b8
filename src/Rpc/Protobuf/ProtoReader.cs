namespace Sealpod.Rpc.Protobuf;

/// <summary>
/// Reads protobuf fields from a span, throwing <see cref="InvalidDataException"/> on malformed input so
/// that a caller can answer the peer with a clear message instead of guessing.
/// </summary>
internal ref struct ProtoReader
{
    private readonly ReadOnlySpan<byte> _source;
    private int _position;

    public ProtoReader(ReadOnlySpan<byte> source)
    {
        _source = source;
        _position = 0;
    }

    public readonly bool End => _position >= _source.Length;

    /// <summary>Reads the next tag, or returns false at the end of the input.</summary>
    public bool TryReadTag(out int fieldNumber, out ProtoWireType wireType)
    {
        if (End)
        {
            fieldNumber = 0;
            wireType = default;
            return false;
        }

        int start = _position;
        ulong tag = ReadVarint();
        fieldNumber = (int)(tag >> 3);
        wireType = (ProtoWireType)(tag & 7);
        if (fieldNumber <= 0 || tag >> 3 > int.MaxValue)
        {
            throw new InvalidDataException($"invalid field number {tag >> 3} at offset {start}");
        }

        return true;
    }

    public ulong ReadVarint()
    {
        ulong result = 0;
        for (int shift = 0; shift < 64; shift += 7)
        {
            if (_position >= _source.Length)
            {
                throw new InvalidDataException($"truncated varint at offset {_position}");
            }

            byte b = _source[_position++];
            result |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return result;
            }
        }

        throw new InvalidDataException($"varint longer than 10 bytes before offset {_position}");
    }

    public ReadOnlySpan<byte> ReadLengthDelimited() => _source[ReadLengthDelimitedRange()];

    /// <summary>Reads a length-delimited field and returns where its body lies in the source.</summary>
    public Range ReadLengthDelimitedRange()
    {
        int start = _position;
        ulong length = ReadVarint();
        if (length > (ulong)(_source.Length - _position))
        {
            throw new InvalidDataException(
                $"length {length} at offset {start} runs past the end of the {_source.Length}-byte message");
        }

        var body = new Range(_position, _position + (int)length);
        _position += (int)length;
        return body;
    }

    /// <summary>Reads a field of the expected wire type, naming the field when the type does not match.</summary>
    public void Expect(ProtoWireType actual, ProtoWireType expected, string fieldName)
    {
        if (actual != expected)
        {
            throw new InvalidDataException($"field {fieldName} has wire type {(int)actual}, expected {(int)expected}");
        }
    }

    /// <summary>Reads the body of a length-delimited field, after checking that <paramref name="wireType"/> says so.</summary>
    public Range ReadLengthDelimitedRange(ProtoWireType wireType, string fieldName)
    {
        Expect(wireType, ProtoWireType.LengthDelimited, fieldName);
        return ReadLengthDelimitedRange();
    }

    /// <summary>Reads the body of a length-delimited field, after checking that <paramref name="wireType"/> says so.</summary>
    public ReadOnlySpan<byte> ReadLengthDelimited(ProtoWireType wireType, string fieldName) => _source[ReadLengthDelimitedRange(wireType, fieldName)];

    /// <summary>Reads a varint field, after checking that <paramref name="wireType"/> says so.</summary>
    public ulong ReadVarint(ProtoWireType wireType, string fieldName)
    {
        Expect(wireType, ProtoWireType.Varint, fieldName);
        return ReadVarint();
    }

    /// <summary>Skips a field this reader does not know, as protobuf requires for forward compatibility.</summary>
    public void SkipField(ProtoWireType wireType)
    {
        switch (wireType)
        {
            case ProtoWireType.Varint:
                ReadVarint();
                break;
            case ProtoWireType.Fixed64:
                Advance(8);
                break;
            case ProtoWireType.LengthDelimited:
                ReadLengthDelimited();
                break;
            case ProtoWireType.Fixed32:
                Advance(4);
                break;
            default:
                throw new InvalidDataException($"unsupported wire type {(int)wireType} before offset {_position}");
        }
    }

    private void Advance(int count)
    {
        if (_source.Length - _position < count)
        {
            throw new InvalidDataException($"truncated fixed-size field at offset {_position}");
        }

        _position += count;
    }
}
