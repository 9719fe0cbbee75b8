namespace Sealpod.Config.Toml;

/// <summary>
/// A table while the syntax tree is walked: values are final <see cref="TomlValue"/>s or builders
/// (<see cref="TableBuilder"/>, <see cref="TableArrayBuilder"/>) that later headers may still extend.
/// </summary>
internal sealed class TableBuilder(TomlPosition position)
{
    private readonly List<KeyValuePair<string, object>> _entries = [];
    private readonly List<TomlPosition?> _keyPositions = [];
    private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);

    /// <summary>Where the table was defined: its header, or its first key for one made by dotted keys or a parent header.</summary>
    public TomlPosition Position { get; set; } = position;

    public bool TryGet(string key, [System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out object value) =>
        OrderedIndex.TryGet(_index, _entries, key, out value);

    public void Add(string key, TomlPosition keyPosition, object value)
    {
        _index.Add(key, _entries.Count);
        _entries.Add(new(key, value));
        _keyPositions.Add(keyPosition);
    }

    public TomlTable Freeze()
    {
        var entries = new KeyValuePair<string, TomlValue>[_entries.Count];
        for (var i = 0; i < entries.Length; i++)
        {
            var (key, value) = _entries[i];
            entries[i] = new(key, Freeze(value));
        }

        return new TomlTable(entries, [.. _keyPositions], _index, Position);
    }

    private static TomlValue Freeze(object value) => value switch
    {
        TomlValue v => v,
        TableBuilder t => t.Freeze(),
        TableArrayBuilder a => a.Freeze(),
        _ => throw new InvalidOperationException($"unexpected node {value.GetType()}"),
    };
}
