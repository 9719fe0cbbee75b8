namespace Sealpod.Toml.Parsing;

internal sealed partial class TomlDocumentParser
{
    /// <summary>Reads a bare, quoted or dotted key; whitespace around the dots is allowed.</summary>
    private List<KeySegment> ParseKey()
    {
        var segments = new List<KeySegment>(2);
        while (true)
        {
            SkipWhitespace();
            var start = _pos;
            var position = Here;
            if (_pos >= _text.Length)
            {
                throw UnexpectedHere("a key");
            }

            var c = _text[_pos];
            string name;
            if (c == '"')
            {
                if (IsTripleQuote('"'))
                {
                    throw ErrorHere("a multi-line string cannot be a key");
                }

                name = ParseBasicString();
            }
            else if (c == '\'')
            {
                if (IsTripleQuote('\''))
                {
                    throw ErrorHere("a multi-line string cannot be a key");
                }

                name = ParseLiteralString();
            }
            else if (IsBareKeyChar(c))
            {
                while (_pos < _text.Length && IsBareKeyChar(_text[_pos]))
                {
                    _pos++;
                }

                name = _text.Substring(start, _pos - start);
            }
            else
            {
                throw segments.Count == 0
                    ? UnexpectedHere("a key (letters, digits, '_', '-' or a quoted string)")
                    : UnexpectedHere($"a key after \"{FormatKey(segments, segments.Count)}.\"");
            }

            segments.Add(new KeySegment(name, position));
            if (segments.Count > MaxNesting)
            {
                throw Error(start, $"dotted key has more than {MaxNesting} parts");
            }

            SkipWhitespace();
            if (_pos < _text.Length && _text[_pos] == '.')
            {
                _pos++;
                continue;
            }

            return segments;
        }
    }

    private bool IsTripleQuote(char quote) =>
        _pos + 2 < _text.Length && _text[_pos] == quote && _text[_pos + 1] == quote && _text[_pos + 2] == quote;
}
