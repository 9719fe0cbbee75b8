using System.Collections;

namespace Sealpod.Grpc;

/// <summary>
/// gRPC metadata: request headers a call sends, or headers and trailers it received.
/// Keys are lower-case; a key may repeat.
/// </summary>
/// <remarks>
/// Keys are checked on <c>Add</c> so that a bad key fails where it is written, not as an
/// HTTP/2 protocol error later: they must match [0-9a-z_.-]+, must not start with "grpc-"
/// (reserved by the protocol) and must not name a header the transport owns.
/// </remarks>
public sealed class GrpcMetadata : IReadOnlyList<GrpcMetadataEntry>
{
    private readonly List<GrpcMetadataEntry> _entries = [];

    public int Count => _entries.Count;

    public GrpcMetadataEntry this[int index] => _entries[index];

    /// <summary>Adds a text value. The key must not end in "-bin"; the value must be printable ASCII.</summary>
    public void Add(string key, string value)
    {
        ValidateKey(key);
        ArgumentNullException.ThrowIfNull(value);
        if (key.EndsWith("-bin", StringComparison.Ordinal))
        {
            throw new ArgumentException($"Metadata key '{key}' ends in -bin and needs a binary value.", nameof(key));
        }

        foreach (char c in value)
        {
            if (c is < ' ' or > '~')
            {
                throw new ArgumentException(
                    $"Metadata value for '{key}' must be printable ASCII; use a -bin key for other bytes.",
                    nameof(value));
            }
        }

        _entries.Add(new GrpcMetadataEntry(key, value));
    }

    /// <summary>Adds a binary value. The key must end in "-bin".</summary>
    public void Add(string key, ReadOnlyMemory<byte> value)
    {
        ValidateKey(key);
        if (!key.EndsWith("-bin", StringComparison.Ordinal))
        {
            throw new ArgumentException($"Binary metadata key '{key}' must end in -bin.", nameof(key));
        }

        _entries.Add(new GrpcMetadataEntry(key, value.ToArray()));
    }

    /// <summary>The first text value of <paramref name="key"/>, or null.</summary>
    public string? GetValue(string key) => Find(key)?.Value;

    /// <summary>The first binary value of <paramref name="key"/>, or null.</summary>
    public ReadOnlyMemory<byte>? GetBytes(string key) => Find(key)?.Bytes;

    /// <summary>Every entry of <paramref name="key"/>, in order.</summary>
    public IEnumerable<GrpcMetadataEntry> GetAll(string key) =>
        _entries.Where(e => string.Equals(e.Key, key, StringComparison.Ordinal));

    public IEnumerator<GrpcMetadataEntry> GetEnumerator() => _entries.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Adds an entry received from the peer, decoding base64 for -bin keys.</summary>
    internal void AddReceived(string key, string value)
    {
        if (key.EndsWith("-bin", StringComparison.Ordinal))
        {
            // Several binary values may share one header field, comma-separated.
            foreach (string part in value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                _entries.Add(new GrpcMetadataEntry(key, DecodeBase64(part)));
            }
        }
        else
        {
            _entries.Add(new GrpcMetadataEntry(key, value));
        }
    }

    /// <summary>gRPC peers may omit base64 padding; both forms are accepted.</summary>
    internal static byte[] DecodeBase64(string value)
    {
        string trimmed = value.Trim();
        int padding = (4 - (trimmed.Length % 4)) % 4;
        return Convert.FromBase64String(padding == 0 ? trimmed : trimmed + new string('=', padding));
    }

    private GrpcMetadataEntry? Find(string key)
    {
        foreach (GrpcMetadataEntry entry in _entries)
        {
            if (string.Equals(entry.Key, key, StringComparison.Ordinal))
            {
                return entry;
            }
        }

        return null;
    }

    private static void ValidateKey(string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        foreach (char c in key)
        {
            if (c is not ((>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '_' or '.'))
            {
                throw new ArgumentException($"Metadata key '{key}' may only hold lower-case letters, digits, '-', '_' and '.'.", nameof(key));
            }
        }

        if (Internal.GrpcHeaders.IsReserved(key))
        {
            throw new ArgumentException($"Metadata key '{key}' is reserved by the gRPC transport.", nameof(key));
        }
    }
}
