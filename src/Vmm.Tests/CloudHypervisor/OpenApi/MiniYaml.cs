namespace Sealpod.Vmm.Tests.CloudHypervisor.OpenApi;

/// <summary>
/// Reads the block-style YAML subset OpenAPI documents are written in: indented mappings and "- " sequences,
/// single- and double-quoted and plain scalars (plain ones may continue on more-indented lines), "|" and "&gt;" block
/// scalars, one-line flow sequences and comments. Anything else (anchors, tags, flow mappings, documents) is an error
/// naming the line, so a schema change it cannot read fails loudly instead of being read wrong.
/// </summary>
public sealed class MiniYaml
{
    private readonly List<(int Number, int Indent, string Text)> _lines = [];
    private int _next;

    private MiniYaml(string text)
    {
        var number = 0;
        foreach (var raw in text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n'))
        {
            number++;
            if (raw.Contains('\t', StringComparison.Ordinal) && raw.TrimStart().Length > 0 && raw[..(raw.Length - raw.TrimStart().Length)].Contains('\t', StringComparison.Ordinal))
            {
                throw new FormatException($"line {number}: tabs are not allowed in YAML indentation");
            }

            var content = StripComment(raw).TrimEnd();
            var trimmed = content.TrimStart();
            if (trimmed.Length == 0)
            {
                continue;
            }

            if (trimmed.StartsWith('&') || trimmed.StartsWith('*') || trimmed.StartsWith('!') || trimmed == "---")
            {
                throw new FormatException($"line {number}: anchors, aliases, tags and document markers are not supported");
            }

            _lines.Add((number, content.Length - trimmed.Length, trimmed));
        }
    }

    /// <summary>Parses a whole document.</summary>
    public static YamlNode Parse(string text)
    {
        var reader = new MiniYaml(text);
        if (reader._lines.Count == 0)
        {
            throw new FormatException("empty YAML document");
        }

        var root = reader.ParseBlock(reader._lines[0].Indent);
        if (reader._next < reader._lines.Count)
        {
            throw new FormatException($"line {reader._lines[reader._next].Number}: unexpected indentation");
        }

        return root;
    }

    private YamlNode ParseBlock(int indent) =>
        IsSequenceItem(_lines[_next].Text) ? ParseSequence(indent) : ParseMapping(indent);

    private YamlMapping ParseMapping(int indent)
    {
        var entries = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
        while (_next < _lines.Count && _lines[_next].Indent == indent && !IsSequenceItem(_lines[_next].Text))
        {
            var (number, _, text) = _lines[_next];
            var (key, rest) = SplitKey(text, number);
            _next++;
            if (!entries.TryAdd(key, ParseValue(rest, indent, number)))
            {
                throw new FormatException($"line {number}: duplicate key \"{key}\"");
            }
        }

        if (_next < _lines.Count && _lines[_next].Indent > indent)
        {
            throw new FormatException($"line {_lines[_next].Number}: unexpected indentation");
        }

        return new YamlMapping(entries);
    }

    private YamlSequence ParseSequence(int indent)
    {
        var items = new List<YamlNode>();
        while (_next < _lines.Count && _lines[_next].Indent == indent && IsSequenceItem(_lines[_next].Text))
        {
            var (number, _, text) = _lines[_next];
            var content = text.Length == 1 ? string.Empty : text[2..].TrimStart();
            if (content.Length == 0)
            {
                _next++;
                items.Add(ParseNested(indent, number));
            }
            else if (LooksLikeKey(content))
            {
                // "- key: value" opens a mapping whose keys line up with "key".
                var column = indent + (text.Length - content.Length);
                _lines[_next] = (number, column, content);
                items.Add(ParseMapping(column));
            }
            else
            {
                _next++;
                items.Add(ParseValue(content, indent, number));
            }
        }

        return new YamlSequence(items);
    }

    private YamlNode ParseValue(string rest, int indent, int number)
    {
        if (rest.Length == 0)
        {
            return ParseNested(indent, number);
        }

        if (rest[0] is '|' or '>')
        {
            return BlockScalar(rest[0] == '|', indent);
        }

        if (rest[0] == '[')
        {
            return FlowSequence(rest, number);
        }

        if (rest[0] == '{')
        {
            throw new FormatException($"line {number}: flow mappings are not supported");
        }

        var scalar = Scalar(rest, number);

        // A plain scalar may go on over more-indented lines, folded with single spaces.
        if (rest[0] is not ('"' or '\''))
        {
            var folded = new StringBuilder(scalar.Value);
            while (_next < _lines.Count && _lines[_next].Indent > indent)
            {
                if (LooksLikeKey(_lines[_next].Text))
                {
                    // "key: value" then a deeper "key2: ..." is a structure error, not a folded scalar.
                    throw new FormatException($"line {_lines[_next].Number}: unexpected indentation");
                }

                folded.Append(' ').Append(_lines[_next].Text);
                _next++;
            }

            return new YamlScalar(folded.ToString());
        }

        return scalar;
    }

    /// <summary>What follows a "key:" with nothing after it: a nested block, a plain multi-line scalar, or null.</summary>
    private YamlNode ParseNested(int indent, int number)
    {
        if (_next >= _lines.Count)
        {
            return new YamlScalar(string.Empty);
        }

        var (_, childIndent, text) = _lines[_next];
        if (childIndent == indent && IsSequenceItem(text))
        {
            return ParseSequence(indent);
        }

        if (childIndent <= indent)
        {
            return new YamlScalar(string.Empty);
        }

        if (IsSequenceItem(text) || LooksLikeKey(text))
        {
            return ParseBlock(childIndent);
        }

        var folded = new StringBuilder();
        while (_next < _lines.Count && _lines[_next].Indent > indent)
        {
            folded.Append(folded.Length == 0 ? string.Empty : " ").Append(_lines[_next].Text);
            _next++;
        }

        return new YamlScalar(folded.ToString());
    }

    private YamlScalar BlockScalar(bool literal, int indent)
    {
        var lines = new List<string>();
        while (_next < _lines.Count && _lines[_next].Indent > indent)
        {
            lines.Add(_lines[_next].Text);
            _next++;
        }

        return new YamlScalar(string.Join(literal ? "\n" : " ", lines));
    }

    private static YamlSequence FlowSequence(string text, int number)
    {
        if (!text.EndsWith(']'))
        {
            throw new FormatException($"line {number}: flow sequences must close on their line");
        }

        var items = new List<YamlNode>();
        var body = text[1..^1].Trim();
        var start = 0;
        var quote = '\0';
        for (var i = 0; i <= body.Length; i++)
        {
            var c = i < body.Length ? body[i] : ',';
            if (quote != '\0')
            {
                quote = c == quote ? '\0' : quote;
                continue;
            }

            if (c is '"' or '\'')
            {
                quote = c;
            }
            else if (c == ',')
            {
                var item = body[start..i].Trim();
                if (item.Length > 0)
                {
                    items.Add(Scalar(item, number));
                }

                start = i + 1;
            }
        }

        return new YamlSequence(items);
    }

    private static YamlScalar Scalar(string text, int number)
    {
        if (text[0] == '"')
        {
            if (text.Length < 2 || text[^1] != '"')
            {
                throw new FormatException($"line {number}: unterminated double-quoted string");
            }

            return new YamlScalar(text[1..^1].Replace("\\\"", "\"", StringComparison.Ordinal).Replace("\\\\", "\\", StringComparison.Ordinal));
        }

        if (text[0] == '\'')
        {
            if (text.Length < 2 || text[^1] != '\'')
            {
                throw new FormatException($"line {number}: unterminated single-quoted string");
            }

            return new YamlScalar(text[1..^1].Replace("''", "'", StringComparison.Ordinal));
        }

        return new YamlScalar(text);
    }

    private static (string Key, string Value) SplitKey(string text, int number)
    {
        string key;
        int after;
        if (text[0] is '"' or '\'')
        {
            var close = text.IndexOf(text[0], 1);
            if (close < 0 || close + 1 >= text.Length || text[close + 1] != ':')
            {
                throw new FormatException($"line {number}: expected a quoted key followed by ':'");
            }

            key = text[1..close];
            after = close + 2;
        }
        else
        {
            var colon = KeyColon(text);
            if (colon < 0)
            {
                throw new FormatException($"line {number}: expected \"key: value\", found \"{text}\"");
            }

            key = text[..colon];
            after = colon + 1;
        }

        return (key, text[after..].Trim());
    }

    private static bool IsSequenceItem(string text) => text == "-" || text.StartsWith("- ", StringComparison.Ordinal);

    private static bool LooksLikeKey(string text) =>
        text[0] is '"' or '\'' ? text.Contains("\":", StringComparison.Ordinal) || text.Contains("':", StringComparison.Ordinal) : KeyColon(text) > 0;

    // A plain key ends at the first ": " (or a ':' ending the line).
    private static int KeyColon(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == ':' && (i + 1 == text.Length || text[i + 1] == ' '))
            {
                return i;
            }
        }

        return -1;
    }

    private static string StripComment(string line)
    {
        var quote = '\0';
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quote != '\0')
            {
                quote = c == quote ? '\0' : quote;
            }
            else if (c is '"' or '\'' && (i == 0 || line[i - 1] is ' ' or ':' or '[' or ','))
            {
                quote = c;
            }
            else if (c == '#' && (i == 0 || line[i - 1] == ' '))
            {
                return line[..i];
            }
        }

        return line;
    }
}
