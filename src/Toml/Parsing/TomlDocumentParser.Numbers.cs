using System.Globalization;

namespace Sealpod.Toml.Parsing;

internal sealed partial class TomlDocumentParser
{
    private TomlValue ParseNumberOrDateTime(TomlPosition position)
    {
        if (LooksLikeDate())
        {
            return ParseDateOrDateTime(position);
        }

        if (LooksLikeTime())
        {
            return ParseLocalTime(position);
        }

        var start = _pos;
        while (_pos < _text.Length && IsNumberTokenChar(_text[_pos]))
        {
            _pos++;
        }

        var token = _text.AsSpan(start, _pos - start);
        var body = token;
        var negative = false;
        if (body.Length > 0 && (body[0] == '+' || body[0] == '-'))
        {
            negative = body[0] == '-';
            body = body[1..];
        }

        if (body.SequenceEqual("inf"))
        {
            return new TomlFloat(negative ? double.NegativeInfinity : double.PositiveInfinity, position);
        }

        if (body.SequenceEqual("nan"))
        {
            // The sign of NaN is kept (IEEE 754 allows it, and -nan round-trips that way).
            return new TomlFloat(double.CopySign(double.NaN, negative ? -1 : 1), position);
        }

        if (token.Length > 0 && char.IsAsciiLetter(token[0]))
        {
            throw InvalidBareWord(start);
        }

        if (body.Length > 1 && body[0] == '0' && (body[1] == 'x' || body[1] == 'o' || body[1] == 'b'))
        {
            if (body.Length != token.Length)
            {
                throw Error(start, $"a sign is not allowed on a {RadixName(body[1])} integer: {token}");
            }

            return new TomlInteger(ParseRadixInteger(body, start), position);
        }

        if (body.IndexOfAny('.', 'e', 'E') >= 0)
        {
            return new TomlFloat(ParseFloat(token, body, start), position);
        }

        return new TomlInteger(ParseDecimalInteger(token, body, negative, start), position);
    }

    private static bool IsNumberTokenChar(char c) =>
        (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '+' || c == '-' || c == '.';

    private static string RadixName(char prefix) => prefix switch
    {
        'x' => "hexadecimal",
        'o' => "octal",
        _ => "binary",
    };

    private long ParseDecimalInteger(ReadOnlySpan<char> token, ReadOnlySpan<char> body, bool negative, int start)
    {
        if (body.IsEmpty)
        {
            throw Error(start, $"invalid number: {token}");
        }

        // Magnitude up to 2^63, which fits only when negative.
        ulong magnitude = 0;
        var previousDigit = false;
        for (var i = 0; i < body.Length; i++)
        {
            var c = body[i];
            if (c >= '0' && c <= '9')
            {
                if (magnitude > (ulong.MaxValue - 9) / 10)
                {
                    throw Error(start, $"integer {token} does not fit in 64 bits");
                }

                magnitude = (magnitude * 10) + (ulong)(c - '0');
                previousDigit = true;
            }
            else if (c == '_' && previousDigit && i + 1 < body.Length && body[i + 1] >= '0' && body[i + 1] <= '9')
            {
                previousDigit = false;
            }
            else
            {
                throw Error(start, c switch
                {
                    '_' => $"an underscore in a number must be between two digits: {token}",
                    'X' or 'O' or 'B' when i == 1 && body[0] == '0' => $"invalid number {token}: radix prefixes are lower-case (0x, 0o, 0b)",
                    _ => $"invalid number: {token}",
                });
            }
        }

        if (body.Length > 1 && body[0] == '0')
        {
            throw Error(start, $"leading zeros are not allowed in an integer: {token}");
        }

        var limit = negative ? (ulong)long.MaxValue + 1 : long.MaxValue;
        if (magnitude > limit)
        {
            throw Error(start, $"integer {token} does not fit in 64 bits");
        }

        return negative ? (long)(0 - magnitude) : (long)magnitude;
    }

    private long ParseRadixInteger(ReadOnlySpan<char> token, int start)
    {
        var shift = token[1] switch
        {
            'x' => 4,
            'o' => 3,
            _ => 1,
        };
        var digits = token[2..];
        if (digits.IsEmpty)
        {
            throw Error(start, $"{RadixName(token[1])} integer {token} has no digits");
        }

        ulong value = 0;
        var previousDigit = false;
        for (var i = 0; i < digits.Length; i++)
        {
            var c = digits[i];
            var d = HexValue(c);
            if (d >= 0 && d < (1 << shift))
            {
                if ((value >> (63 - shift)) != 0)
                {
                    throw Error(start, $"integer {token} does not fit in 64 bits");
                }

                value = (value << shift) | (uint)d;
                previousDigit = true;
            }
            else if (c == '_' && previousDigit && i + 1 < digits.Length && HexValue(digits[i + 1]) is var n && n >= 0 && n < (1 << shift))
            {
                previousDigit = false;
            }
            else
            {
                throw Error(start, c == '_'
                    ? $"an underscore in a number must be between two digits: {token}"
                    : $"invalid digit '{c}' in {RadixName(token[1])} integer {token}");
            }
        }

        return (long)value;
    }

    private double ParseFloat(ReadOnlySpan<char> token, ReadOnlySpan<char> body, int start)
    {
        // Grammar: int-part [ '.' digits ] [ ('e'|'E') [sign] digits ], with at least one of the two parts;
        // the integer part has no leading zeros, the exponent may.
        var i = 0;
        if (!ScanDigits(body, ref i))
        {
            throw Error(start, $"invalid float {token}: expected a digit first");
        }

        if (i > 1 && body[0] == '0')
        {
            throw Error(start, $"leading zeros are not allowed in a float: {token}");
        }

        if (i < body.Length && body[i] == '.')
        {
            i++;
            if (!ScanDigits(body, ref i))
            {
                throw Error(start, $"invalid float {token}: a decimal point must be followed by a digit");
            }
        }

        if (i < body.Length && (body[i] == 'e' || body[i] == 'E'))
        {
            i++;
            if (i < body.Length && (body[i] == '+' || body[i] == '-'))
            {
                i++;
            }

            if (!ScanDigits(body, ref i))
            {
                throw Error(start, $"invalid float {token}: the exponent needs digits");
            }
        }

        if (i != body.Length)
        {
            throw Error(start, $"invalid float {token}");
        }

        Span<char> buffer = token.Length <= 128 ? stackalloc char[token.Length] : new char[token.Length];
        var length = 0;
        foreach (var c in token)
        {
            if (c != '_')
            {
                buffer[length++] = c;
            }
        }

        var value = double.Parse(buffer[..length], NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture);
        if (double.IsInfinity(value))
        {
            // Parsing rounds overflow to infinity; a written number that large is a mistake, inf is spelled inf.
            throw Error(start, $"float {token} is out of range for a 64-bit float");
        }

        return value;
    }

    /// <summary>Decimal digits with single underscores between digits; false when there is no digit or an underscore is misplaced.</summary>
    private static bool ScanDigits(ReadOnlySpan<char> s, ref int i)
    {
        var first = i;
        while (i < s.Length)
        {
            var c = s[i];
            if (c >= '0' && c <= '9')
            {
                i++;
            }
            else if (c == '_' && i > first && s[i - 1] != '_' && i + 1 < s.Length && s[i + 1] >= '0' && s[i + 1] <= '9')
            {
                i++;
            }
            else
            {
                break;
            }
        }

        return i > first && s[i - 1] != '_';
    }
}
