namespace Sealpod.Toml.Parsing;

internal sealed partial class TomlDocumentParser
{
    // YYYY-... : four digits then a dash can only start a date.
    private bool LooksLikeDate() =>
        _pos + 4 < _text.Length && _text[_pos + 4] == '-' &&
        IsDigit(_pos) && IsDigit(_pos + 1) && IsDigit(_pos + 2) && IsDigit(_pos + 3);

    // HH:... : two digits then a colon can only start a local time.
    private bool LooksLikeTime() =>
        _pos + 2 < _text.Length && _text[_pos + 2] == ':' && IsDigit(_pos) && IsDigit(_pos + 1);

    private bool IsDigit(int index) => index < _text.Length && _text[index] >= '0' && _text[index] <= '9';

    private TomlDateTime ParseDateOrDateTime(TomlPosition position)
    {
        var start = _pos;
        var year = ReadFixedDigits(4, "year", start);
        Expect('-', "'-' between year and month", start);
        var month = ReadFixedDigits(2, "month", start);
        Expect('-', "'-' between month and day", start);
        var day = ReadFixedDigits(2, "day", start);
        if (month < 1 || month > 12)
        {
            throw Error(start, $"month {month:D2} is out of range (01-12) in date {Token(start)}");
        }

        if (year < 1)
        {
            // DateOnly starts at year 1; TOML's RFC 3339 allows 0000, which no configuration needs.
            throw Error(start, $"year 0000 is not supported in date {Token(start)}");
        }

        if (day < 1 || day > DateTime.DaysInMonth(year, month))
        {
            throw Error(start, $"day {day:D2} does not exist in {year:D4}-{month:D2} (date {Token(start)})");
        }

        var date = new DateOnly(year, month, day);

        // The date/time separator is T, t or a single space; a space only counts when a time follows.
        var hasTime = false;
        if (_pos < _text.Length && (_text[_pos] == 'T' || _text[_pos] == 't'))
        {
            hasTime = true;
        }
        else if (_pos + 1 < _text.Length && _text[_pos] == ' ' && IsDigit(_pos + 1))
        {
            hasTime = true;
        }

        if (!hasTime)
        {
            return new TomlDateTime(TomlDateTimeKind.LocalDate, date, default, 0, null, position);
        }

        _pos++;
        var (time, nanosecond) = ReadTime(start);
        if (_pos < _text.Length && (_text[_pos] == 'Z' || _text[_pos] == 'z'))
        {
            _pos++;
            return new TomlDateTime(TomlDateTimeKind.OffsetDateTime, date, time, nanosecond, TimeSpan.Zero, position);
        }

        if (_pos < _text.Length && (_text[_pos] == '+' || _text[_pos] == '-'))
        {
            var negative = _text[_pos] == '-';
            _pos++;
            var offsetHours = ReadFixedDigits(2, "offset hour", start);
            Expect(':', "':' in the UTC offset", start);
            var offsetMinutes = ReadFixedDigits(2, "offset minute", start);
            if (offsetHours > 23 || offsetMinutes > 59)
            {
                throw Error(start, $"UTC offset out of range in {Token(start)}");
            }

            var offset = new TimeSpan(offsetHours, offsetMinutes, 0);
            return new TomlDateTime(TomlDateTimeKind.OffsetDateTime, date, time, nanosecond, negative ? -offset : offset, position);
        }

        return new TomlDateTime(TomlDateTimeKind.LocalDateTime, date, time, nanosecond, null, position);
    }

    private TomlDateTime ParseLocalTime(TomlPosition position)
    {
        var (time, nanosecond) = ReadTime(_pos);
        return new TomlDateTime(TomlDateTimeKind.LocalTime, default, time, nanosecond, null, position);
    }

    /// <summary>HH:MM:SS[.fraction]; digits past nanoseconds are truncated, as the spec asks.</summary>
    private (TimeOnly Time, int Nanosecond) ReadTime(int start)
    {
        var hour = ReadFixedDigits(2, "hour", start);
        Expect(':', "':' between hour and minute", start);
        var minute = ReadFixedDigits(2, "minute", start);
        Expect(':', "':' between minute and second (seconds are required)", start);
        var second = ReadFixedDigits(2, "second", start);
        if (hour > 23 || minute > 59 || second > 59)
        {
            throw Error(start, $"time {Token(start)} is out of range (00:00:00-23:59:59)");
        }

        var nanosecond = 0;
        if (_pos < _text.Length && _text[_pos] == '.')
        {
            _pos++;
            if (!IsDigit(_pos))
            {
                throw Error(start, $"fractional seconds need at least one digit in {Token(start)}");
            }

            var scale = 100_000_000;
            while (IsDigit(_pos))
            {
                nanosecond += (_text[_pos] - '0') * scale;
                scale /= 10;
                _pos++;
            }
        }

        return (new TimeOnly(hour, minute, second), nanosecond);
    }

    private int ReadFixedDigits(int count, string what, int start)
    {
        var value = 0;
        for (var i = 0; i < count; i++)
        {
            if (!IsDigit(_pos))
            {
                throw Error(start, $"invalid date-time {Token(start)}: expected {count} digits for the {what}");
            }

            value = (value * 10) + (_text[_pos] - '0');
            _pos++;
        }

        return value;
    }

    private void Expect(char c, string what, int start)
    {
        if (_pos >= _text.Length || _text[_pos] != c)
        {
            throw Error(start, $"invalid date-time {Token(start)}: expected {what}");
        }

        _pos++;
    }

    /// <summary>The date-time as written (up to the next delimiter), for error messages.</summary>
    private string Token(int start)
    {
        var end = Math.Max(start, _pos);
        while (end < _text.Length && (IsNumberTokenChar(_text[end]) || _text[end] == ':'))
        {
            end++;
        }

        return _text.Substring(start, end - start);
    }
}
