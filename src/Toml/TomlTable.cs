namespace Sealpod.Toml;

/// <summary>
/// A table: the document root, a [header] table, an inline table or an element of an array of tables.
/// Keys keep the order in which they were first defined.
/// </summary>
public sealed class TomlTable : TomlValue, IReadOnlyDictionary<string, TomlValue>
{
    private readonly IReadOnlyList<KeyValuePair<string, TomlValue>> _ordered;
    private readonly Dictionary<string, TomlValue> _byKey;
    private readonly Dictionary<string, TomlPosition> _keyPositions;

    public TomlTable(
        IReadOnlyList<KeyValuePair<string, TomlValue>> entries,
        IReadOnlyDictionary<string, TomlPosition> keyPositions,
        TomlPosition position)
        : base(position)
    {
        _ordered = entries;
        _byKey = new Dictionary<string, TomlValue>(entries.Count, StringComparer.Ordinal);
        foreach (var (key, value) in entries)
        {
            _byKey.Add(key, value);
        }

        _keyPositions = new Dictionary<string, TomlPosition>(keyPositions, StringComparer.Ordinal);
    }

    public override string TypeName => "table";

    public int Count => _ordered.Count;

    public IEnumerable<string> Keys => _ordered.Select(e => e.Key);

    public IEnumerable<TomlValue> Values => _ordered.Select(e => e.Value);

    public TomlValue this[string key] => _byKey[key];

    public bool ContainsKey(string key) => _byKey.ContainsKey(key);

    public bool TryGetValue(string key, [System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out TomlValue value) =>
        _byKey.TryGetValue(key, out value);

    /// <summary>Where the key itself was written (for "unknown key" warnings); falls back to the value's position.</summary>
    public TomlPosition GetKeyPosition(string key) =>
        _keyPositions.TryGetValue(key, out var p) ? p : _byKey[key].Position;

    public IEnumerator<KeyValuePair<string, TomlValue>> GetEnumerator() => _ordered.GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}
