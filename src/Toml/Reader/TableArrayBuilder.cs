namespace Sealpod.Config.Toml;

/// <summary>An array of tables while the syntax tree is walked: each <c>[[x]]</c> header appends one.</summary>
internal sealed class TableArrayBuilder(TomlPosition position)
{
    private readonly List<TableBuilder> _tables = [];

    public TableBuilder Last => _tables[^1];

    public void Add(TableBuilder table) => _tables.Add(table);

    public TomlArray Freeze() => new([.. _tables.Select(t => t.Freeze())], position);
}
