using System.Globalization;
using System.Text;

namespace Sealpod.Toml.Parsing;

/// <summary>
/// Reads one TOML 1.0 document in a single forward pass over the text. Position tracking is incremental
/// (line start plus a column cache), so asking for a position never rescans earlier lines.
/// One instance parses one document; it is not thread-safe and not reusable.
/// </summary>
internal sealed partial class TomlDocumentParser
{
    // Bounds the depth of the value tree (tables, arrays) so hostile input cannot overflow the stack here or in
    // code that walks the result recursively (System.Text.Json writers stop at 1000 levels).
    private const int MaxNesting = 500;

    private readonly string _text;
    private readonly string? _file;
    private readonly StringBuilder _scratch = new();

    // The key path of the table being filled (header, then enclosing keys of inline tables): messages name keys in full.
    private readonly List<KeySegment> _keyPath = [];

    private int _pos;
    private int _line = 1;
    private int _lineStart;
    private int _columnCacheIndex;
    private int _columnCacheValue = 1;
    private int _lastSection;
    private int _depth;

    public TomlDocumentParser(string text, string? file)
    {
        _text = text;
        _file = file;
    }

    public TomlTable Parse()
    {
        // A byte order mark is allowed only as the very first character and takes no column.
        if (_text.Length > 0 && _text[0] == '\uFEFF')
        {
            _pos = _lineStart = _columnCacheIndex = 1;
        }

        var root = new TableBuilder(TableKind.Header, Position(_pos), 0);
        var current = root;
        var section = 0;
        while (true)
        {
            SkipWhitespace();
            if (_pos >= _text.Length)
            {
                break;
            }

            var c = _text[_pos];
            if (c == '\n' || c == '\r')
            {
                ConsumeNewline();
                continue;
            }

            if (c == '#')
            {
                SkipComment();
                continue;
            }

            if (c == '[')
            {
                section = ++_lastSection;
                current = ParseHeader(root, section);
                ExpectEndOfLine("table header");
                continue;
            }

            ParseKeyValue(current, section);
            ExpectEndOfLine("value");
        }

        return root.Freeze();
    }

    private TomlPosition Position(int index)
    {
        // The cache only moves forward within the current line; a request behind it restarts at the line start.
        if (index < _columnCacheIndex)
        {
            _columnCacheIndex = _lineStart;
            _columnCacheValue = 1;
        }

        var column = _columnCacheValue;
        for (var i = _columnCacheIndex; i < index; i++)
        {
            // Columns count Unicode scalar values, so the second half of a surrogate pair adds nothing.
            if (!char.IsLowSurrogate(_text[i]))
            {
                column++;
            }
        }

        _columnCacheIndex = index;
        _columnCacheValue = column;
        return new TomlPosition(_file, _line, column);
    }

    private TomlPosition Here => Position(_pos);

    private TomlException Error(int index, string reason) => new(Position(index), reason);

    private TomlException ErrorHere(string reason) => Error(_pos, reason);

    private TomlException UnexpectedHere(string expected)
    {
        if (_pos >= _text.Length)
        {
            return ErrorHere($"expected {expected}, found end of file");
        }

        return ErrorHere($"expected {expected}, found {Describe(_pos)}");
    }

    private string Describe(int index)
    {
        var c = _text[index];
        return c switch
        {
            '\n' => "end of line",
            '\r' => "carriage return",
            '\t' => "tab",
            '\'' => "\"'\"",
            _ when char.IsHighSurrogate(c) && index + 1 < _text.Length && char.IsLowSurrogate(_text[index + 1]) =>
                $"'{_text.Substring(index, 2)}' (U+{char.ConvertToUtf32(c, _text[index + 1]):X4})",
            _ when c < 0x20 || c == 0x7F || char.IsSurrogate(c) || char.IsWhiteSpace(c) => $"U+{(int)c:X4}",
            _ => $"'{c}'",
        };
    }

    private void NewLineStartsAt(int index)
    {
        _line++;
        _lineStart = _columnCacheIndex = index;
        _columnCacheValue = 1;
    }

    /// <summary>Consumes LF or CRLF at the current position; a lone CR is an error.</summary>
    private void ConsumeNewline()
    {
        if (_text[_pos] == '\r')
        {
            if (_pos + 1 >= _text.Length || _text[_pos + 1] != '\n')
            {
                throw ErrorHere("carriage return must be followed by a line feed");
            }

            _pos++;
        }

        _pos++;
        NewLineStartsAt(_pos);
    }

    private void SkipWhitespace()
    {
        while (_pos < _text.Length && (_text[_pos] == ' ' || _text[_pos] == '\t'))
        {
            _pos++;
        }
    }

    /// <summary>Skips from '#' to (not over) the end of the line, rejecting control characters.</summary>
    private void SkipComment()
    {
        _pos++;
        while (_pos < _text.Length)
        {
            var c = _text[_pos];
            if (c == '\n' || (c == '\r' && _pos + 1 < _text.Length && _text[_pos + 1] == '\n'))
            {
                return;
            }

            if ((c < 0x20 && c != '\t') || c == 0x7F)
            {
                throw ErrorHere($"control character U+{(int)c:X4} is not allowed in a comment");
            }

            if (char.IsSurrogate(c))
            {
                CheckSurrogatePair();
                _pos += 2;
                continue;
            }

            _pos++;
        }
    }

    /// <summary>Input given as a string may hold lone surrogates, which are not Unicode text.</summary>
    private void CheckSurrogatePair()
    {
        if (!char.IsHighSurrogate(_text[_pos]) || _pos + 1 >= _text.Length || !char.IsLowSurrogate(_text[_pos + 1]))
        {
            throw ErrorHere($"invalid UTF-16: lone surrogate U+{(int)_text[_pos]:X4}");
        }
    }

    /// <summary>Skips spaces, tabs, newlines and comments (inside arrays).</summary>
    private void SkipWhitespaceCommentsAndNewlines()
    {
        while (_pos < _text.Length)
        {
            var c = _text[_pos];
            if (c == ' ' || c == '\t')
            {
                _pos++;
            }
            else if (c == '\n' || c == '\r')
            {
                ConsumeNewline();
            }
            else if (c == '#')
            {
                SkipComment();
            }
            else
            {
                return;
            }
        }
    }

    /// <summary>After a key/value pair or header only whitespace and a comment may follow on the line.</summary>
    private void ExpectEndOfLine(string after)
    {
        SkipWhitespace();
        if (_pos >= _text.Length)
        {
            return;
        }

        var c = _text[_pos];
        if (c == '#')
        {
            SkipComment();
            if (_pos >= _text.Length)
            {
                return;
            }

            c = _text[_pos];
        }

        if (c == '\n' || c == '\r')
        {
            ConsumeNewline();
            return;
        }

        throw UnexpectedHere($"end of line after {after}");
    }

    private void EnterNesting(int index)
    {
        if (++_depth + _keyPath.Count > MaxNesting)
        {
            throw Error(index, $"values are nested more than {MaxNesting} deep");
        }
    }

    private static string FormatKey(IReadOnlyList<KeySegment> key, int count)
    {
        var sb = new StringBuilder();
        AppendKey(sb, key, count);
        return sb.ToString();
    }

    /// <summary>The first <paramref name="count"/> parts of a key/value key, prefixed with the current table's path.</summary>
    private string FormatPath(IReadOnlyList<KeySegment> key, int count)
    {
        var sb = new StringBuilder();
        AppendKey(sb, _keyPath, _keyPath.Count);
        if (sb.Length > 0)
        {
            sb.Append('.');
        }

        AppendKey(sb, key, count);
        return sb.ToString();
    }

    private static void AppendKey(StringBuilder sb, IReadOnlyList<KeySegment> key, int count)
    {
        for (var i = 0; i < count; i++)
        {
            if (i > 0)
            {
                sb.Append('.');
            }

            AppendKeyPart(sb, key[i].Name);
        }
    }

    private static void AppendKeyPart(StringBuilder sb, string name)
    {
        var bare = name.Length > 0;
        foreach (var ch in name)
        {
            if (!IsBareKeyChar(ch))
            {
                bare = false;
                break;
            }
        }

        if (bare)
        {
            sb.Append(name);
            return;
        }

        sb.Append('"');
        foreach (var ch in name)
        {
            switch (ch)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case < ' ' or (char)0x7F: sb.Append(CultureInfo.InvariantCulture, $"\\u{(int)ch:X4}"); break;
                default: sb.Append(ch); break;
            }
        }

        sb.Append('"');
    }

    private static bool IsBareKeyChar(char c) =>
        (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
}
