using System.Collections;

namespace Sealpod.Rpc.Ttrpc;

/// <summary>
/// The metadata of a ttrpc call: an ordered list of key/value pairs, sent as repeated <c>ttrpc.KeyValue</c>.
/// Keys are lower-cased on the way in, like Go's <c>ttrpc.MD</c>; a key may appear several times,
/// once per value.
/// </summary>
public sealed class TtrpcMetadata : IReadOnlyList<KeyValuePair<string, string>>
{
    private readonly List<KeyValuePair<string, string>> _entries;

    public TtrpcMetadata()
    {
        _entries = [];
    }

    public TtrpcMetadata(IEnumerable<KeyValuePair<string, string>> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        _entries = [];
        foreach (KeyValuePair<string, string> entry in entries)
        {
            Add(entry.Key, entry.Value);
        }
    }

    public int Count => _entries.Count;

    public KeyValuePair<string, string> this[int index] => _entries[index];

    /// <summary>Adds one value under <paramref name="key"/> (lower-cased); earlier values are kept.</summary>
    public TtrpcMetadata Add(string key, string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentNullException.ThrowIfNull(value);
        _entries.Add(new KeyValuePair<string, string>(key.ToLowerInvariant(), value));
        return this;
    }

    /// <summary>The first value of <paramref name="key"/> (compared case-insensitively), or null.</summary>
    public string? GetValue(string key)
    {
        foreach (KeyValuePair<string, string> entry in _entries)
        {
            if (string.Equals(entry.Key, key, StringComparison.OrdinalIgnoreCase))
            {
                return entry.Value;
            }
        }

        return null;
    }

    /// <summary>Every value of <paramref name="key"/> (compared case-insensitively), in the order received.</summary>
    public IReadOnlyList<string> GetValues(string key)
    {
        List<string>? values = null;
        foreach (KeyValuePair<string, string> entry in _entries)
        {
            if (string.Equals(entry.Key, key, StringComparison.OrdinalIgnoreCase))
            {
                (values ??= []).Add(entry.Value);
            }
        }

        return values ?? (IReadOnlyList<string>)[];
    }

    public List<KeyValuePair<string, string>>.Enumerator GetEnumerator() => _entries.GetEnumerator();

    IEnumerator<KeyValuePair<string, string>> IEnumerable<KeyValuePair<string, string>>.GetEnumerator() => GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Adds an entry exactly as received, without lower-casing: what the peer sent is what handlers see.</summary>
    internal void AddReceived(string key, string value) => _entries.Add(new KeyValuePair<string, string>(key, value));
}
