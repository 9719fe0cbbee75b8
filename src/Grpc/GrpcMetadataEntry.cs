using System.Text;

namespace Sealpod.Grpc;

/// <summary>
/// One metadata value: text, or bytes for keys ending in "-bin" (base64 on the wire).
/// </summary>
public readonly struct GrpcMetadataEntry : IEquatable<GrpcMetadataEntry>
{
    private readonly string? _text;
    private readonly ReadOnlyMemory<byte> _bytes;

    internal GrpcMetadataEntry(string key, string text)
    {
        Key = key;
        _text = text;
    }

    internal GrpcMetadataEntry(string key, ReadOnlyMemory<byte> bytes)
    {
        Key = key;
        _bytes = bytes;
    }

    /// <summary>Lower-case key.</summary>
    public string Key { get; }

    /// <summary>True for "-bin" keys, whose value is <see cref="Bytes"/>.</summary>
    public bool IsBinary => Key.EndsWith("-bin", StringComparison.Ordinal);

    /// <summary>The text value; for binary entries, the value as it travels (unpadded base64).</summary>
    public string Value => _text ?? Convert.ToBase64String(_bytes.Span).TrimEnd('=');

    /// <summary>The binary value; for text entries, the value's ASCII bytes.</summary>
    public ReadOnlyMemory<byte> Bytes => IsBinary ? _bytes : Encoding.ASCII.GetBytes(_text ?? string.Empty);

    public bool Equals(GrpcMetadataEntry other) =>
        string.Equals(Key, other.Key, StringComparison.Ordinal)
        && (IsBinary ? _bytes.Span.SequenceEqual(other._bytes.Span) : string.Equals(_text, other._text, StringComparison.Ordinal));

    public override bool Equals(object? obj) => obj is GrpcMetadataEntry other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(Key, IsBinary ? _bytes.Length : _text?.GetHashCode(StringComparison.Ordinal) ?? 0);

    public override string ToString() => $"{Key}: {Value}";

    public static bool operator ==(GrpcMetadataEntry left, GrpcMetadataEntry right) => left.Equals(right);

    public static bool operator !=(GrpcMetadataEntry left, GrpcMetadataEntry right) => !left.Equals(right);
}
