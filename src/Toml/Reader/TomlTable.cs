namespace Sealpod.Config.Toml;

/// <summary>
/// A table: the document root, a [header] table, an inline table or an element of an array of tables.
/// Keys keep the order in which they were first defined.
/// </summary>
public sealed class TomlTable : TomlValue, IReadOnlyDictionary<string, TomlValue>
{
    private readonly KeyValuePair<string, TomlValue>[] _ordered;
    private readonly TomlPosition?[] _keyPositions;
    private readonly Dictionary<string, int> _index;

    public TomlTable(
        IReadOnlyList<KeyValuePair<string, TomlValue>> entries,
        IReadOnlyDictionary<string, TomlPosition> keyPositions,
        TomlPosition position)
        : base(position)
    {
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentNullException.ThrowIfNull(keyPositions);
        _ordered = [.. entries];
        _keyPositions = new TomlPosition?[_ordered.Length];
        _index = new Dictionary<string, int>(_ordered.Length, StringComparer.Ordinal);
        for (var i = 0; i < _ordered.Length; i++)
        {
            var key = _ordered[i].Key;
            if (!_index.TryAdd(key, i))
            {
                throw new ArgumentException($"duplicate key \"{key}\"", nameof(entries));
            }

            _keyPositions[i] = keyPositions.TryGetValue(key, out var p) ? p : null;
        }
    }

    /// <summary>Takes the reader's arrays and index as they are (no copies): the reader never touches them again.</summary>
    internal TomlTable(
        KeyValuePair<string, TomlValue>[] entries,
        TomlPosition?[] keyPositions,
        Dictionary<string, int> index,
        TomlPosition position)
        : base(position)
    {
        _ordered = entries;
        _keyPositions = keyPositions;
        _index = index;
    }

    public override string TypeName => "table";

    public int Count => _ordered.Length;

    public IEnumerable<string> Keys => _ordered.Select(e => e.Key);

    public IEnumerable<TomlValue> Values => _ordered.Select(e => e.Value);

    public TomlValue this[string key] => _ordered[_index[key]].Value;

    public bool ContainsKey(string key) => _index.ContainsKey(key);

    public bool TryGetValue(string key, [System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out TomlValue value) =>
        OrderedIndex.TryGet(_index, _ordered, key, out value);

    /// <summary>Where the key itself was written (for "unknown key" warnings); falls back to the value's position.</summary>
    public TomlPosition GetKeyPosition(string key)
    {
        var i = _index[key];
        return _keyPositions[i] ?? _ordered[i].Value.Position;
    }

    public IEnumerator<KeyValuePair<string, TomlValue>> GetEnumerator() => ((IEnumerable<KeyValuePair<string, TomlValue>>)_ordered).GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}
