namespace Sealpod.Toml.Parsing;

internal sealed partial class TomlDocumentParser
{
    private const string ValueExpected = "a value (string, number, boolean, date-time, array or inline table)";

    private TomlValue ParseValue()
    {
        if (_pos >= _text.Length)
        {
            throw UnexpectedHere(ValueExpected);
        }

        var start = _pos;
        var position = Here;
        switch (_text[_pos])
        {
            case '"':
                return new TomlString(IsTripleQuote('"') ? ParseMultilineBasicString() : ParseBasicString(), position);
            case '\'':
                return new TomlString(IsTripleQuote('\'') ? ParseMultilineLiteralString() : ParseLiteralString(), position);
            case 't':
                ExpectWord("true", start);
                return new TomlBoolean(true, position);
            case 'f':
                ExpectWord("false", start);
                return new TomlBoolean(false, position);
            case '[':
                return ParseArray(position);
            case '{':
                return ParseInlineTable(position);
            case (>= '0' and <= '9') or '+' or '-' or 'i' or 'n':
                return ParseNumberOrDateTime(position);
            case (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or '_':
                throw InvalidBareWord(start);
            default:
                throw UnexpectedHere(ValueExpected);
        }
    }

    private void ExpectWord(string word, int start)
    {
        if (string.CompareOrdinal(_text, start, word, 0, word.Length) != 0 || IsBareKeyCharAt(start + word.Length))
        {
            throw InvalidBareWord(start);
        }

        _pos += word.Length;
    }

    /// <summary>An unquoted word where a value belongs: most often a string that lacks its quotes.</summary>
    private TomlException InvalidBareWord(int start)
    {
        var end = start;
        while (end < _text.Length && (IsBareKeyChar(_text[end]) || _text[end] == '.'))
        {
            end++;
        }

        var word = _text.AsSpan(start, end - start);
        var hint = word.Equals("true", StringComparison.OrdinalIgnoreCase) || word.Equals("false", StringComparison.OrdinalIgnoreCase)
            ? "booleans are lower-case true or false"
            : "strings must be quoted";
        return Error(start, $"invalid value {word}: {hint}");
    }

    private bool IsBareKeyCharAt(int index) => index < _text.Length && IsBareKeyChar(_text[index]);

    private TomlArray ParseArray(TomlPosition position)
    {
        var start = _pos;
        EnterNesting(start);
        _pos++;
        var items = new List<TomlValue>();
        while (true)
        {
            SkipWhitespaceCommentsAndNewlines();
            if (_pos < _text.Length && _text[_pos] == ']')
            {
                _pos++;
                break;
            }

            items.Add(ParseValue());
            SkipWhitespaceCommentsAndNewlines();
            if (_pos < _text.Length && _text[_pos] == ',')
            {
                _pos++;
                continue;
            }

            if (_pos < _text.Length && _text[_pos] == ']')
            {
                _pos++;
                break;
            }

            throw UnexpectedHere("',' or ']' in array");
        }

        _depth--;
        return new TomlArray(items.ToArray(), position);
    }

    private TomlTable ParseInlineTable(TomlPosition position)
    {
        var start = _pos;
        EnterNesting(start);
        _pos++;
        var section = ++_lastSection;
        var table = new TableBuilder(TableKind.Header, position, section);
        SkipWhitespace();
        if (_pos < _text.Length && _text[_pos] == '}')
        {
            _pos++;
        }
        else
        {
            while (true)
            {
                if (_pos < _text.Length && (_text[_pos] == '\n' || _text[_pos] == '\r'))
                {
                    throw ErrorHere("an inline table must be on a single line");
                }

                ParseKeyValue(table, section);
                SkipWhitespace();
                if (_pos >= _text.Length)
                {
                    throw UnexpectedHere("',' or '}' in inline table");
                }

                var c = _text[_pos];
                if (c == '}')
                {
                    _pos++;
                    break;
                }

                if (c == ',')
                {
                    _pos++;
                    SkipWhitespace();
                    if (_pos < _text.Length && _text[_pos] == '}')
                    {
                        throw ErrorHere("trailing comma is not allowed in an inline table");
                    }

                    continue;
                }

                if (c == '\n' || c == '\r' || c == '#')
                {
                    throw ErrorHere("an inline table must be on a single line (expected ',' or '}')");
                }

                throw UnexpectedHere("',' or '}' in inline table");
            }
        }

        _depth--;
        return table.Freeze();
    }
}
