namespace Sealpod.Toml.Parsing;

internal sealed partial class TomlDocumentParser
{
    /// <summary>"..." on one line, with escapes.</summary>
    private string ParseBasicString()
    {
        var open = _pos;
        _pos++;
        var start = _pos;

        // Most strings have no escapes: find the closing quote and cut it out without copying twice.
        while (_pos < _text.Length)
        {
            var c = _text[_pos];
            if (c == '"')
            {
                _pos++;
                return _text.Substring(start, _pos - 1 - start);
            }

            if (c == '\\')
            {
                break;
            }

            CheckStringChar(c, open, multiline: false);
            _pos += char.IsHighSurrogate(c) ? 2 : 1;
        }

        var sb = _scratch.Clear();
        sb.Append(_text, start, _pos - start);
        while (_pos < _text.Length)
        {
            var c = _text[_pos];
            if (c == '"')
            {
                _pos++;
                return sb.ToString();
            }

            if (c == '\\')
            {
                AppendEscape(sb);
                continue;
            }

            CheckStringChar(c, open, multiline: false);
            AppendCodePoint(sb, c);
        }

        throw Error(open, "unterminated string: missing closing '\"'");
    }

    /// <summary>'...' on one line, taken as written.</summary>
    private string ParseLiteralString()
    {
        var open = _pos;
        _pos++;
        var start = _pos;
        while (_pos < _text.Length)
        {
            var c = _text[_pos];
            if (c == '\'')
            {
                _pos++;
                return _text.Substring(start, _pos - 1 - start);
            }

            CheckStringChar(c, open, multiline: false);
            _pos += char.IsHighSurrogate(c) ? 2 : 1;
        }

        throw Error(open, "unterminated literal string: missing closing \"'\"");
    }

    /// <summary>"""...""" with escapes and line-ending backslashes; a newline right after the opening quotes is dropped.</summary>
    private string ParseMultilineBasicString()
    {
        var open = _pos;
        _pos += 3;
        SkipNewlineAfterOpeningQuotes();
        var sb = _scratch.Clear();
        while (_pos < _text.Length)
        {
            var c = _text[_pos];
            switch (c)
            {
                case '"':
                    if (TryCloseMultiline('"', sb))
                    {
                        return sb.ToString();
                    }

                    continue;
                case '\\':
                    if (IsLineEndingBackslash())
                    {
                        SkipWhitespaceAndNewlinesInString();
                    }
                    else
                    {
                        AppendEscape(sb);
                    }

                    continue;
                case '\n' or '\r':
                    // Newlines are kept as LF whatever the file uses, so values do not depend on the platform.
                    ConsumeNewline();
                    sb.Append('\n');
                    continue;
            }

            CheckStringChar(c, open, multiline: true);
            AppendCodePoint(sb, c);
        }

        throw Error(open, "unterminated multi-line string: missing closing '\"\"\"'");
    }

    /// <summary>'''...''' taken as written (newlines become LF); a newline right after the opening quotes is dropped.</summary>
    private string ParseMultilineLiteralString()
    {
        var open = _pos;
        _pos += 3;
        SkipNewlineAfterOpeningQuotes();
        var sb = _scratch.Clear();
        while (_pos < _text.Length)
        {
            var c = _text[_pos];
            if (c == '\'')
            {
                if (TryCloseMultiline('\'', sb))
                {
                    return sb.ToString();
                }

                continue;
            }

            if (c == '\n' || c == '\r')
            {
                ConsumeNewline();
                sb.Append('\n');
                continue;
            }

            CheckStringChar(c, open, multiline: true);
            AppendCodePoint(sb, c);
        }

        throw Error(open, "unterminated multi-line literal string: missing closing \"'''\"");
    }

    private void SkipNewlineAfterOpeningQuotes()
    {
        if (_pos < _text.Length && (_text[_pos] == '\n' || _text[_pos] == '\r'))
        {
            ConsumeNewline();
        }
    }

    /// <summary>
    /// At a run of quotes inside a multi-line string: three close it, and up to two more just before the
    /// closing three belong to the content (<c>""""" </c> is two quotes then the end).
    /// </summary>
    private bool TryCloseMultiline(char quote, System.Text.StringBuilder sb)
    {
        var run = 0;
        while (_pos + run < _text.Length && _text[_pos + run] == quote && run < 5)
        {
            run++;
        }

        if (run < 3)
        {
            sb.Append(quote, run);
            _pos += run;
            return false;
        }

        sb.Append(quote, run - 3);
        _pos += run;
        return true;
    }

    /// <summary>A backslash followed only by spaces/tabs up to the end of the line trims through the next non-blank.</summary>
    private bool IsLineEndingBackslash()
    {
        var i = _pos + 1;
        while (i < _text.Length && (_text[i] == ' ' || _text[i] == '\t'))
        {
            i++;
        }

        return i < _text.Length && (_text[i] == '\n' || _text[i] == '\r');
    }

    private void SkipWhitespaceAndNewlinesInString()
    {
        _pos++;
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
            else
            {
                return;
            }
        }
    }

    private void CheckStringChar(char c, int open, bool multiline)
    {
        if (c >= 0x20 && c != 0x7F && !char.IsSurrogate(c))
        {
            return;
        }

        if (c == '\t')
        {
            return;
        }

        if (c == '\n' || c == '\r')
        {
            if (!multiline)
            {
                throw ErrorHere($"newline in a single-line string (started at {Position(open)}); use a multi-line string (\"\"\" or ''')");
            }

            return;
        }

        if (char.IsSurrogate(c))
        {
            CheckSurrogatePair();
            return;
        }

        throw ErrorHere($"control character U+{(int)c:X4} must be escaped in a string");
    }

    /// <summary>At a backslash: appends the escaped character(s) and moves past the escape.</summary>
    private void AppendEscape(System.Text.StringBuilder sb)
    {
        var at = _pos;
        if (_pos + 1 >= _text.Length)
        {
            throw ErrorHere("unterminated escape sequence at end of file");
        }

        var e = _text[_pos + 1];
        _pos += 2;
        switch (e)
        {
            case 'b': sb.Append('\b'); return;
            case 't': sb.Append('\t'); return;
            case 'n': sb.Append('\n'); return;
            case 'f': sb.Append('\f'); return;
            case 'r': sb.Append('\r'); return;
            case '"': sb.Append('"'); return;
            case '\\': sb.Append('\\'); return;
            case 'u': AppendUnicodeEscape(sb, at, 4); return;
            case 'U': AppendUnicodeEscape(sb, at, 8); return;
        }

        _pos = at;
        var shown = e switch
        {
            '\n' or '\r' => "\\ followed by a newline (only allowed in multi-line strings)",
            ' ' or '\t' => "\\ followed by whitespace",
            _ when e < 0x20 || e == 0x7F || char.IsSurrogate(e) => $"\\ followed by U+{(int)e:X4}",
            _ => $"\\{e}",
        };
        throw ErrorHere($"invalid escape sequence {shown}; valid escapes are \\b \\t \\n \\f \\r \\\" \\\\ \\uXXXX \\UXXXXXXXX");
    }

    private void AppendUnicodeEscape(System.Text.StringBuilder sb, int at, int digits)
    {
        var value = 0;
        for (var i = 0; i < digits; i++)
        {
            var d = _pos < _text.Length ? HexValue(_text[_pos]) : -1;
            if (d < 0)
            {
                throw Error(at, $"escape \\{(digits == 4 ? 'u' : 'U')} needs exactly {digits} hexadecimal digits");
            }

            // Eight hex digits can exceed int; anything above 0x10FFFF is rejected below anyway.
            value = value > 0x10FFFF ? value : (value << 4) | d;
            _pos++;
        }

        if (value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF))
        {
            throw Error(at, $"escape {_text.AsSpan(at, _pos - at)} is not a Unicode scalar value");
        }

        if (value < 0x10000)
        {
            sb.Append((char)value);
        }
        else
        {
            value -= 0x10000;
            sb.Append((char)(0xD800 + (value >> 10))).Append((char)(0xDC00 + (value & 0x3FF)));
        }
    }

    private static int HexValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => -1,
    };

    // A surrogate pair is one code point: CheckStringChar has already validated it, so both halves go together.
    private void AppendCodePoint(System.Text.StringBuilder sb, char c)
    {
        if (char.IsHighSurrogate(c))
        {
            sb.Append(c).Append(_text[_pos + 1]);
            _pos += 2;
        }
        else
        {
            sb.Append(c);
            _pos++;
        }
    }
}
