namespace Sealpod.Protos.Tests.Wire;

/// <summary>
/// A deliberately tiny protobuf writer for golden bytes: each call names its field number and
/// wire type explicitly, independent of Google.Protobuf, so a golden value spells out the wire
/// layout that upstream's field numbers dictate.
/// </summary>
internal static class HandWire
{
    private const int VarintType = 0;
    private const int LengthDelimitedType = 2;

    /// <summary>A varint field (int32/int64/uint32/uint64/bool/enum).</summary>
    public static byte[] Varint(int field, long value) => [.. Key(field, VarintType), .. EncodeVarint(unchecked((ulong)value))];

    /// <summary>A string field.</summary>
    public static byte[] Str(int field, string value) => Bytes(field, Encoding.UTF8.GetBytes(value));

    /// <summary>A length-delimited field holding raw bytes.</summary>
    public static byte[] Bytes(int field, byte[] content) =>
        [.. Key(field, LengthDelimitedType), .. EncodeVarint((ulong)content.Length), .. content];

    /// <summary>An embedded message made of the given fields.</summary>
    public static byte[] Message(int field, params byte[][] fields) => Bytes(field, Concat(fields));

    /// <summary>A packed repeated varint field (proto3's default for repeated scalars).</summary>
    public static byte[] Packed(int field, params long[] values) =>
        Bytes(field, Concat([.. values.Select(v => EncodeVarint(unchecked((ulong)v)))]));

    public static byte[] Concat(params byte[][] parts) => [.. parts.SelectMany(p => p)];

    private static byte[] Key(int field, int wireType) => EncodeVarint((ulong)((field << 3) | wireType));

    private static byte[] EncodeVarint(ulong value)
    {
        var bytes = new List<byte>();
        do
        {
            byte low7 = (byte)(value & 0x7F);
            value >>= 7;
            bytes.Add(value == 0 ? low7 : (byte)(low7 | 0x80));
        }
        while (value != 0);
        return [.. bytes];
    }
}
