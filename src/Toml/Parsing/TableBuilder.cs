namespace Sealpod.Toml.Parsing;

/// <summary>
/// A table while the document is being read. Values are final <see cref="TomlValue"/>s (scalars, static arrays,
/// inline tables) or builders (<see cref="TableBuilder"/>, <see cref="ArrayOfTablesBuilder"/>) that later lines
/// may still extend; <see cref="Freeze"/> turns the whole tree into the immutable model once parsing is done.
/// </summary>
internal sealed class TableBuilder(TableKind kind, TomlPosition position, int section)
{
    private readonly List<string> _keys = [];
    private readonly List<object> _values = [];
    private readonly List<TomlPosition> _keyPositions = [];
    private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);

    public TableKind Kind { get; set; } = kind;

    /// <summary>The [header] section (or inline table) that created a <see cref="TableKind.Dotted"/> table.</summary>
    public int Section { get; set; } = section;

    public TomlPosition Position { get; set; } = position;

    public bool TryGet(string key, [System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out object value, out TomlPosition keyPosition)
    {
        if (_index.TryGetValue(key, out var i))
        {
            value = _values[i];
            keyPosition = _keyPositions[i];
            return true;
        }

        value = null;
        keyPosition = default;
        return false;
    }

    public void Add(string key, TomlPosition keyPosition, object value)
    {
        _index.Add(key, _keys.Count);
        _keys.Add(key);
        _values.Add(value);
        _keyPositions.Add(keyPosition);
    }

    public TomlTable Freeze()
    {
        var entries = new KeyValuePair<string, TomlValue>[_keys.Count];
        var keyPositions = new TomlPosition?[_keys.Count];
        for (var i = 0; i < entries.Length; i++)
        {
            var value = _values[i];
            var frozen = value switch
            {
                TomlValue v => v,
                TableBuilder t => t.Freeze(),
                ArrayOfTablesBuilder a => a.Freeze(),
                _ => throw new InvalidOperationException($"unexpected node {value.GetType()}"),
            };
            entries[i] = new KeyValuePair<string, TomlValue>(_keys[i], frozen);
            keyPositions[i] = _keyPositions[i];
        }

        // The index is handed over: the builder is dropped once frozen.
        return new TomlTable(entries, keyPositions, _index, Position);
    }
}
