namespace Sealpod.Toml.Tests;

/// <summary>Each value type parses to the model with the right .NET value.</summary>
public sealed class ValueTests
{
    private static TomlValue Value(string toml) => TomlParser.Parse("v = " + toml + "\n")["v"];

    private static T Value<T>(string toml)
        where T : TomlValue => Assert.IsType<T>(Value(toml));

    [Theory]
    [InlineData("\"plain\"", "plain")]
    [InlineData("\"tab\\there\"", "tab\there")]
    [InlineData("\"\\b\\t\\n\\f\\r\\\"\\\\\"", "\b\t\n\f\r\"\\")]
    [InlineData("\"\\u00e9\\U0001F600\"", "é😀")]
    [InlineData("'C:\\Users\\no escapes'", "C:\\Users\\no escapes")]
    [InlineData("\"\"\"\nfirst newline trimmed\"\"\"", "first newline trimmed")]
    [InlineData("\"\"\"\r\ncrlf trimmed too\"\"\"", "crlf trimmed too")]
    [InlineData("\"\"\"a\\\n   \n   b\"\"\"", "ab")]
    [InlineData("\"\"\"a\\  \t\r\n  b\"\"\"", "ab")]
    [InlineData("\"\"\"two quotes at the end\"\"\"\"\"", "two quotes at the end\"\"")]
    [InlineData("'''one ' and two '' inside'''", "one ' and two '' inside")]
    [InlineData("'''\nline1\r\nline2\n'''", "line1\nline2\n")]
    [InlineData("''''''", "")]
    [InlineData("\"😀 ü\"", "😀 ü")]
    public void Strings(string toml, string expected) => Assert.Equal(expected, Value<TomlString>(toml).Value);

    [Theory]
    [InlineData("0", 0L)]
    [InlineData("+17", 17L)]
    [InlineData("-0", 0L)]
    [InlineData("1_000_000", 1_000_000L)]
    [InlineData("9223372036854775807", long.MaxValue)]
    [InlineData("-9223372036854775808", long.MinValue)]
    [InlineData("0xDEAD_beef", 0xDEADBEEFL)]
    [InlineData("0x7FFFFFFFFFFFFFFF", long.MaxValue)]
    [InlineData("0o755", 493L)]
    [InlineData("0b1101_0110", 0b1101_0110L)]
    [InlineData("0x0000_0001", 1L)]
    public void Integers(string toml, long expected) => Assert.Equal(expected, Value<TomlInteger>(toml).Value);

    [Theory]
    [InlineData("1.5", 1.5)]
    [InlineData("-0.01", -0.01)]
    [InlineData("5e+22", 5e22)]
    [InlineData("1e06", 1e6)]
    [InlineData("-2E-2", -0.02)]
    [InlineData("6.626e-34", 6.626e-34)]
    [InlineData("224_617.445_991", 224617.445991)]
    [InlineData("inf", double.PositiveInfinity)]
    [InlineData("+inf", double.PositiveInfinity)]
    [InlineData("-inf", double.NegativeInfinity)]
    public void Floats(string toml, double expected) => Assert.Equal(expected, Value<TomlFloat>(toml).Value);

    [Fact]
    public void Nan_and_signed_zero_keep_their_meaning()
    {
        var nan = Value<TomlFloat>("nan").Value;
        var minusNan = Value<TomlFloat>("-nan").Value;
        Assert.True(double.IsNaN(nan) && !double.IsNegative(nan));
        Assert.True(double.IsNaN(minusNan) && double.IsNegative(minusNan));
        Assert.True(double.IsNegative(Value<TomlFloat>("-0.0").Value));
        Assert.False(double.IsNegative(Value<TomlFloat>("+0.0").Value));
    }

    [Fact]
    public void Booleans()
    {
        Assert.True(Value<TomlBoolean>("true").Value);
        Assert.False(Value<TomlBoolean>("false").Value);
    }

    [Fact]
    public void Offset_date_time_keeps_offset_and_nanoseconds()
    {
        var d = Value<TomlDateTime>("1979-05-27T00:32:00.999999-07:00");
        Assert.Equal(TomlDateTimeKind.OffsetDateTime, d.Kind);
        Assert.Equal(new DateOnly(1979, 5, 27), d.Date);
        Assert.Equal(new TimeOnly(0, 32, 0), d.Time);
        Assert.Equal(999_999_000, d.Nanosecond);
        Assert.Equal(TimeSpan.FromHours(-7), d.Offset);
        Assert.Equal("datetime", d.TypeName);
    }

    [Theory]
    [InlineData("1979-05-27T07:32:00Z")]
    [InlineData("1979-05-27t07:32:00z")]
    [InlineData("1979-05-27 07:32:00Z")]
    [InlineData("1979-05-27T07:32:00+00:00")]
    public void Offset_date_time_separators_and_utc(string toml)
    {
        var d = Value<TomlDateTime>(toml);
        Assert.Equal(TomlDateTimeKind.OffsetDateTime, d.Kind);
        Assert.Equal(new TimeOnly(7, 32, 0), d.Time);
        Assert.Equal(TimeSpan.Zero, d.Offset);
    }

    [Fact]
    public void Local_kinds()
    {
        var local = Value<TomlDateTime>("2024-02-29T23:59:59.123456789123");
        Assert.Equal(TomlDateTimeKind.LocalDateTime, local.Kind);
        Assert.Equal(new DateOnly(2024, 2, 29), local.Date);
        Assert.Equal(123_456_789, local.Nanosecond); // digits beyond nanoseconds are truncated, not rounded
        Assert.Null(local.Offset);

        var date = Value<TomlDateTime>("2000-02-29");
        Assert.Equal(TomlDateTimeKind.LocalDate, date.Kind);
        Assert.Equal(new DateOnly(2000, 2, 29), date.Date);

        var time = Value<TomlDateTime>("07:32:00.5");
        Assert.Equal(TomlDateTimeKind.LocalTime, time.Kind);
        Assert.Equal(new TimeOnly(7, 32, 0), time.Time);
        Assert.Equal(500_000_000, time.Nanosecond);
    }

    [Fact]
    public void Date_followed_by_space_and_comment_is_a_date()
    {
        var doc = TomlParser.Parse("d = 2021-01-01 # a comment\n");
        Assert.Equal(TomlDateTimeKind.LocalDate, Assert.IsType<TomlDateTime>(doc["d"]).Kind);
    }

    [Fact]
    public void Arrays_mix_types_span_lines_and_allow_a_trailing_comma()
    {
        var array = Value<TomlArray>("[\n  1, # one\n  \"two\",\n  [3.0, []],\n  { four = 4 },\n]");
        Assert.Equal(4, array.Count);
        Assert.Equal(1, Assert.IsType<TomlInteger>(array[0]).Value);
        Assert.Equal("two", Assert.IsType<TomlString>(array[1]).Value);
        var nested = Assert.IsType<TomlArray>(array[2]);
        Assert.Equal(3.0, Assert.IsType<TomlFloat>(nested[0]).Value);
        Assert.Empty(Assert.IsType<TomlArray>(nested[1]));
        Assert.Equal(4, Assert.IsType<TomlInteger>(Assert.IsType<TomlTable>(array[3])["four"]).Value);
    }

    [Fact]
    public void Inline_tables_with_dotted_keys()
    {
        var table = Value<TomlTable>("{ a.b = 1, a.c = \"x\", \"quoted key\" = {} }");
        var a = Assert.IsType<TomlTable>(table["a"]);
        Assert.Equal(["b", "c"], a.Keys);
        Assert.Empty(Assert.IsType<TomlTable>(table["quoted key"]));
    }
}
