namespace Sealpod.Config.Toml;

/// <summary>An array, inline (<c>[1, 2]</c>) or of tables (<c>[[x]]</c>).</summary>
public sealed class TomlArray(IReadOnlyList<TomlValue> items, TomlPosition position) : TomlValue(position), IReadOnlyList<TomlValue>
{
    private readonly IReadOnlyList<TomlValue> _items = items;

    public override string TypeName => "array";

    public int Count => _items.Count;

    public TomlValue this[int index] => _items[index];

    public IEnumerator<TomlValue> GetEnumerator() => _items.GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}
