using Tomlyn.Syntax;

namespace Sealpod.Config.Toml;

/// <summary>
/// Turns a document Tomlyn has parsed and validated (no duplicate keys, no table defined twice, no inline table or
/// array extended) into <see cref="TomlTable"/>s whose keys and values carry their file:line:column. Tomlyn decides what
/// is valid TOML; this walk only places values. A conflict it meets anyway is reported, never merged silently.
/// </summary>
internal sealed class SyntaxTreeReader
{
    /// <summary>
    /// How deep keys and values may nest together. Tomlyn bounds arrays and inline tables (64) but not dotted keys, and
    /// <see cref="TableBuilder.Freeze"/> recurses once per level: a 100,000-part key must be an error, not a stack overflow.
    /// </summary>
    public const int MaxDepth = 128;

    private readonly string? _fileName;

    private SyntaxTreeReader(string? fileName)
    {
        _fileName = fileName;
    }

    public static TomlTable Read(DocumentSyntax document, string? fileName)
    {
        var reader = new SyntaxTreeReader(fileName);
        var root = new TableBuilder(new TomlPosition(fileName, 1, 1));
        foreach (var keyValue in document.KeyValues)
        {
            reader.AddKeyValue(root, keyValue, depth: 0);
        }

        foreach (var table in document.Tables)
        {
            reader.AddTable(root, table);
        }

        return root.Freeze();
    }

    private void AddTable(TableBuilder root, TableSyntaxBase table)
    {
        var header = At((SyntaxNode?)table.OpenBracket ?? table);
        var key = Segments(table.Name, header, depth: 0);
        var parent = root;
        for (var i = 0; i < key.Count - 1; i++)
        {
            parent = DescendForHeader(parent, key, i);
        }

        var target = table is TableArraySyntax
            ? AppendToTableArray(parent, key, header)
            : DefineTable(parent, key, header);
        foreach (var keyValue in table.Items)
        {
            AddKeyValue(target, keyValue, key.Count);
        }
    }

    private TableBuilder DescendForHeader(TableBuilder table, List<(string Name, TomlPosition Position)> key, int i)
    {
        var (name, position) = key[i];
        if (!table.TryGet(name, out var existing))
        {
            // A parent only named by a header (a in [a.b]): it starts where it is first named, until its own header.
            var created = new TableBuilder(position);
            table.Add(name, position, created);
            return created;
        }

        return existing switch
        {
            TableBuilder t => t,
            TableArrayBuilder a => a.Last,
            _ => throw Conflict(existing, key, i, position),
        };
    }

    private TableBuilder DefineTable(TableBuilder parent, List<(string Name, TomlPosition Position)> key, TomlPosition header)
    {
        var (name, position) = key[^1];
        if (!parent.TryGet(name, out var existing))
        {
            var created = new TableBuilder(header);
            parent.Add(name, position, created);
            return created;
        }

        if (existing is TableBuilder implicitParent)
        {
            implicitParent.Position = header;
            return implicitParent;
        }

        throw Conflict(existing, key, key.Count - 1, header);
    }

    private TableBuilder AppendToTableArray(TableBuilder parent, List<(string Name, TomlPosition Position)> key, TomlPosition header)
    {
        var (name, position) = key[^1];
        var element = new TableBuilder(header);
        if (!parent.TryGet(name, out var existing))
        {
            var array = new TableArrayBuilder(header);
            array.Add(element);
            parent.Add(name, position, array);
            return element;
        }

        if (existing is not TableArrayBuilder tables)
        {
            throw Conflict(existing, key, key.Count - 1, header);
        }

        tables.Add(element);
        return element;
    }

    private void AddKeyValue(TableBuilder table, KeyValueSyntax keyValue, int depth)
    {
        var key = Segments(keyValue.Key, At(keyValue), depth);
        for (var i = 0; i < key.Count - 1; i++)
        {
            var (name, position) = key[i];
            if (!table.TryGet(name, out var existing))
            {
                var created = new TableBuilder(position);
                table.Add(name, position, created);
                table = created;
            }
            else
            {
                table = existing as TableBuilder ?? throw Conflict(existing, key, i, position);
            }
        }

        var (last, lastPosition) = key[^1];
        if (table.TryGet(last, out var duplicate))
        {
            throw Conflict(duplicate, key, key.Count - 1, lastPosition);
        }

        var value = keyValue.Value ?? throw new TomlException(lastPosition, $"no value for key \"{Join(key, key.Count)}\"");
        table.Add(last, lastPosition, Convert(value, depth + key.Count));
    }

    private TomlValue Convert(ValueSyntax value, int depth)
    {
        var position = At(value);
        if (depth > MaxDepth)
        {
            throw new TomlException(position, $"keys and values are nested more than {MaxDepth} deep");
        }

        switch (value)
        {
            case StringValueSyntax s:
                return new TomlString(s.Value ?? string.Empty, position);
            case IntegerValueSyntax i:
                return new TomlInteger(i.Value, position);
            case FloatValueSyntax f:
                return new TomlFloat(f.Value, position);
            case BooleanValueSyntax b:
                return new TomlBoolean(b.Value, position);
            case DateTimeValueSyntax d:
                return new TomlDateTime(d.Value, position);
            case ArraySyntax array:
                var items = new List<TomlValue>(array.Items.ChildrenCount);
                foreach (var item in array.Items)
                {
                    items.Add(Convert(item.Value ?? throw new TomlException(position, "array item without a value"), depth + 1));
                }

                return new TomlArray(items, position);
            case InlineTableSyntax inline:
                var table = new TableBuilder(position);
                foreach (var item in inline.Items)
                {
                    AddKeyValue(table, item.KeyValue ?? throw new TomlException(position, "inline table item without a key"), depth + 1);
                }

                return table.Freeze();
            default:
                throw new TomlException(position, $"unsupported value ({value.Kind})");
        }
    }

    private List<(string Name, TomlPosition Position)> Segments(KeySyntax? key, TomlPosition where, int depth)
    {
        if (key?.Key is null)
        {
            throw new TomlException(where, "missing key");
        }

        var segments = new List<(string, TomlPosition)> { Segment(key.Key) };
        foreach (var dotted in key.DotKeys)
        {
            if (depth + segments.Count + 1 > MaxDepth)
            {
                throw new TomlException(where, $"keys and values are nested more than {MaxDepth} deep");
            }

            segments.Add(Segment(dotted.Key ?? throw new TomlException(At(dotted), "missing key after '.'")));
        }

        return segments;
    }

    private (string, TomlPosition) Segment(BareKeyOrStringValueSyntax key) => key switch
    {
        BareKeySyntax bare => (bare.Key?.Text ?? string.Empty, At(key)),
        StringValueSyntax quoted => (quoted.Value ?? string.Empty, At(key)),
        _ => throw new TomlException(At(key), $"unsupported key ({key.Kind})"),
    };

    private TomlException Conflict(object existing, List<(string Name, TomlPosition Position)> key, int i, TomlPosition position)
    {
        var where = existing switch
        {
            TomlValue v => $" at {v.Position}",
            TableBuilder t => $" at {t.Position}",
            _ => string.Empty,
        };
        return new TomlException(position, $"\"{Join(key, i + 1)}\" is already defined{where} and cannot be redefined");
    }

    private static string Join(List<(string Name, TomlPosition Position)> key, int count) =>
        string.Join('.', key.Take(count).Select(k => k.Name));

    /// <summary>Tomlyn counts lines and columns from 0 (columns in Unicode scalar values, a tab as one); users count from 1.</summary>
    private TomlPosition At(SyntaxNodeBase node) => new(_fileName, node.Span.Start.Line + 1, node.Span.Start.Column + 1);
}
