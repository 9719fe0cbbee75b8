namespace Sealpod.Toml.Parsing;

/// <summary>An array of tables under construction: [[x]] headers append to it until the document ends.</summary>
internal sealed class ArrayOfTablesBuilder(TomlPosition position)
{
    private readonly List<TableBuilder> _tables = [];

    public TomlPosition Position { get; } = position;

    public TableBuilder Last => _tables[^1];

    public void Add(TableBuilder table) => _tables.Add(table);

    public TomlArray Freeze()
    {
        var items = new TomlValue[_tables.Count];
        for (var i = 0; i < items.Length; i++)
        {
            items[i] = _tables[i].Freeze();
        }

        return new TomlArray(items, Position);
    }
}
