using System.Buffers.Binary;

namespace Sealpod.Rpc.Ttrpc;

/// <summary>
/// The 10-byte header in front of every ttrpc frame. All integers are big-endian.
/// <code>
/// +----------------+----------------+---------+---------+
/// | length (u32)   | stream id (u32)| type u8 | flags u8|
/// +----------------+----------------+---------+---------+
///   bytes 0-3        bytes 4-7        byte 8    byte 9
/// </code>
/// <see cref="Length"/> counts the payload only, never the header.
/// </summary>
public readonly record struct TtrpcFrameHeader(uint Length, uint StreamId, TtrpcMessageType Type, TtrpcFrameFlags Flags)
{
    /// <summary>True when the peer announced more than <see cref="TtrpcProtocol.MaxPayloadLength"/> bytes.</summary>
    public bool IsOversized => Length > TtrpcProtocol.MaxPayloadLength;

    /// <summary>Writes the header into the first <see cref="TtrpcProtocol.HeaderLength"/> bytes of <paramref name="destination"/>.</summary>
    public void WriteTo(Span<byte> destination)
    {
        if (destination.Length < TtrpcProtocol.HeaderLength)
        {
            throw new ArgumentException($"A ttrpc frame header needs {TtrpcProtocol.HeaderLength} bytes.", nameof(destination));
        }

        BinaryPrimitives.WriteUInt32BigEndian(destination, Length);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], StreamId);
        destination[8] = (byte)Type;
        destination[9] = (byte)Flags;
    }

    /// <summary>Reads a header from the first <see cref="TtrpcProtocol.HeaderLength"/> bytes of <paramref name="source"/>.</summary>
    public static TtrpcFrameHeader Read(ReadOnlySpan<byte> source)
    {
        if (source.Length < TtrpcProtocol.HeaderLength)
        {
            throw new ArgumentException($"A ttrpc frame header needs {TtrpcProtocol.HeaderLength} bytes.", nameof(source));
        }

        return new TtrpcFrameHeader(
            BinaryPrimitives.ReadUInt32BigEndian(source),
            BinaryPrimitives.ReadUInt32BigEndian(source[4..]),
            (TtrpcMessageType)source[8],
            (TtrpcFrameFlags)source[9]);
    }
}
