namespace Sealpod.Toml.Parsing;

internal sealed partial class TomlDocumentParser
{
    /// <summary>Reads <c>[a.b]</c> or <c>[[a.b]]</c> and returns the table that following key/value lines fill.</summary>
    private TableBuilder ParseHeader(TableBuilder root, int section)
    {
        var headerPosition = Here;
        var isArray = _pos + 1 < _text.Length && _text[_pos + 1] == '[';
        _pos += isArray ? 2 : 1;
        var key = ParseKey();
        if (_pos >= _text.Length || _text[_pos] != ']')
        {
            throw UnexpectedHere(isArray ? "']]' to close the array of tables header" : "']' to close the table header");
        }

        _pos++;
        if (isArray)
        {
            if (_pos >= _text.Length || _text[_pos] != ']')
            {
                throw UnexpectedHere("']]' to close the array of tables header");
            }

            _pos++;
        }

        _keyPath.Clear();
        _keyPath.AddRange(key);
        var table = root;
        for (var i = 0; i < key.Count - 1; i++)
        {
            table = DescendForHeader(table, key, i);
        }

        return isArray
            ? AppendArrayTable(table, key, headerPosition, section)
            : DefineHeaderTable(table, key, headerPosition, section);
    }

    private TableBuilder DescendForHeader(TableBuilder table, List<KeySegment> key, int i)
    {
        var segment = key[i];
        if (!table.TryGet(segment.Name, out var existing, out _))
        {
            var created = new TableBuilder(TableKind.Implicit, segment.Position, 0);
            table.Add(segment.Name, segment.Position, created);
            return created;
        }

        return existing switch
        {
            TableBuilder t => t,
            ArrayOfTablesBuilder a => a.Last,
            _ => throw CannotExtend(existing, FormatKey(key, i + 1), segment.Position),
        };
    }

    private TableBuilder DefineHeaderTable(TableBuilder parent, List<KeySegment> key, TomlPosition headerPosition, int section)
    {
        var last = key[^1];
        if (!parent.TryGet(last.Name, out var existing, out _))
        {
            var created = new TableBuilder(TableKind.Header, headerPosition, section);
            parent.Add(last.Name, last.Position, created);
            return created;
        }

        var name = FormatKey(key, key.Count);
        if (existing is TableBuilder table)
        {
            switch (table.Kind)
            {
                case TableKind.Implicit:
                    table.Kind = TableKind.Header;
                    table.Section = section;
                    table.Position = headerPosition;
                    return table;
                case TableKind.Header:
                    throw new TomlException(headerPosition, $"table [{name}] is defined more than once (first at {table.Position})");
                default:
                    throw new TomlException(headerPosition, $"table [{name}] was already defined with dotted keys at {table.Position}");
            }
        }

        if (existing is ArrayOfTablesBuilder array)
        {
            throw new TomlException(headerPosition, $"\"{name}\" is an array of tables (defined at {array.Position}), not a table");
        }

        throw CannotExtend(existing, FormatKey(key, key.Count), headerPosition);
    }

    private TableBuilder AppendArrayTable(TableBuilder parent, List<KeySegment> key, TomlPosition headerPosition, int section)
    {
        var last = key[^1];
        var element = new TableBuilder(TableKind.Header, headerPosition, section);
        if (!parent.TryGet(last.Name, out var existing, out _))
        {
            var array = new ArrayOfTablesBuilder(headerPosition);
            array.Add(element);
            parent.Add(last.Name, last.Position, array);
            return element;
        }

        if (existing is ArrayOfTablesBuilder tables)
        {
            tables.Add(element);
            return element;
        }

        var name = FormatKey(key, key.Count);
        if (existing is TableBuilder table)
        {
            throw new TomlException(headerPosition, $"cannot define array of tables [[{name}]]: \"{name}\" is already a table (defined at {table.Position})");
        }

        if (existing is TomlArray staticArray)
        {
            throw new TomlException(headerPosition, $"cannot append to \"{name}\" with [[{name}]]: it is a static array (defined at {staticArray.Position})");
        }

        throw CannotExtend(existing, FormatKey(key, key.Count), headerPosition);
    }

    /// <summary>Reads <c>key = value</c> into <paramref name="table"/>, creating the tables of a dotted key.</summary>
    private void ParseKeyValue(TableBuilder table, int section)
    {
        var key = ParseKey();
        if (_keyPath.Count + key.Count + _depth > MaxNesting)
        {
            throw new TomlException(key[0].Position, $"values are nested more than {MaxNesting} deep");
        }

        if (_pos >= _text.Length || _text[_pos] != '=')
        {
            throw UnexpectedHere($"'=' after key \"{FormatKey(key, key.Count)}\"");
        }

        _pos++;
        SkipWhitespace();

        for (var i = 0; i < key.Count - 1; i++)
        {
            table = DescendForDottedKey(table, key, i, section);
        }

        var last = key[^1];
        if (table.TryGet(last.Name, out _, out var firstPosition))
        {
            throw new TomlException(last.Position, $"duplicate key \"{FormatPath(key, key.Count)}\" (first defined at {firstPosition})");
        }

        // While the value is read, the key is part of the path that messages about nested inline tables name.
        var mark = _keyPath.Count;
        _keyPath.AddRange(key);
        var value = ParseValue();
        _keyPath.RemoveRange(mark, key.Count);
        table.Add(last.Name, last.Position, value);
    }

    private TableBuilder DescendForDottedKey(TableBuilder table, List<KeySegment> key, int i, int section)
    {
        var segment = key[i];
        if (!table.TryGet(segment.Name, out var existing, out _))
        {
            var created = new TableBuilder(TableKind.Dotted, segment.Position, section);
            table.Add(segment.Name, segment.Position, created);
            return created;
        }

        if (existing is TableBuilder t)
        {
            switch (t.Kind)
            {
                case TableKind.Implicit:
                    // From now on the table counts as defined by these dotted keys: no [header] may define it later.
                    t.Kind = TableKind.Dotted;
                    t.Section = section;
                    return t;
                case TableKind.Dotted when t.Section == section:
                    return t;
                case TableKind.Header:
                    throw new TomlException(segment.Position, $"cannot add to table [{FormatPath(key, i + 1)}] with dotted keys: it was defined by a header at {t.Position}");
                default:
                    throw new TomlException(segment.Position, $"cannot add to table \"{FormatPath(key, i + 1)}\": it was defined with dotted keys in another section at {t.Position}");
            }
        }

        if (existing is ArrayOfTablesBuilder a)
        {
            throw new TomlException(segment.Position, $"cannot add to \"{FormatPath(key, i + 1)}\" with dotted keys: it is an array of tables (defined at {a.Position})");
        }

        throw CannotExtend(existing, FormatPath(key, i + 1), segment.Position);
    }

    private static TomlException CannotExtend(object existing, string name, TomlPosition position)
    {
        return existing switch
        {
            TomlTable inline => new TomlException(position, $"cannot extend inline table \"{name}\" (defined at {inline.Position}): inline tables are complete as written"),
            TomlArray array => new TomlException(position, $"cannot extend \"{name}\": it is a static array (defined at {array.Position})"),
            TomlValue value => new TomlException(position, $"\"{name}\" is already {DescribeType(value)} (defined at {value.Position}), not a table"),
            _ => new TomlException(position, $"cannot extend \"{name}\""),
        };
    }

    private static string DescribeType(TomlValue value) => value.TypeName switch
    {
        "string" => "a string",
        "integer" => "an integer",
        "float" => "a float",
        "bool" => "a boolean",
        "datetime" => "an offset date-time",
        "datetime-local" => "a local date-time",
        "date-local" => "a local date",
        "time-local" => "a local time",
        "array" => "an array",
        _ => "a table",
    };
}
