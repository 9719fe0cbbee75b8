namespace Sealpod.Config.Tests.Toml;

/// <summary>Each value form Kata files use reads to the right type and .NET value.</summary>
public sealed class TomlValueTests
{
    private static TomlValue Value(string toml) => TomlReader.Parse("v = " + toml + "\n")["v"];

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
    [InlineData("'''\nline1\nline2\n'''", "line1\nline2\n")]
    [InlineData("''''''", "")]
    [InlineData("\"😀 ü\"", "😀 ü")]
    public void Strings(string toml, string expected) => Assert.Equal(expected, Value<TomlString>(toml).Value);

    [Fact]
    public void Crlf_inside_multi_line_strings_is_kept_as_written()
    {
        // TOML lets a parser normalise newlines in multi-line strings; Tomlyn keeps them (the hand-written parser made
        // them \n). Noticed here so a change of Tomlyn's mind shows up; Kata's templates use \n only.
        Assert.Equal("line1\r\nline2", Value<TomlString>("\"\"\"\r\nline1\r\nline2\"\"\"").Value);
        Assert.Equal("line1\r\nline2", Value<TomlString>("'''line1\r\nline2'''").Value);
    }

    [Fact]
    public void Multi_line_kernel_params_fold_with_a_line_ending_backslash()
    {
        var doc = TomlReader.Parse("kernel_params = \"\"\"\\\n    agent.log=debug \\\n    agent.aa_kbc_params=cc_kbc::http://192.0.2.1:8080\"\"\"\n");
        Assert.Equal("agent.log=debug agent.aa_kbc_params=cc_kbc::http://192.0.2.1:8080", ((TomlString)doc["kernel_params"]).Value);
    }

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
    public void Integers(string toml, long expected) => Assert.Equal(expected, Value<TomlInteger>(toml).Value);

    [Theory]
    [InlineData("1.5", 1.5)]
    [InlineData("-0.01", -0.01)]
    [InlineData("5e+22", 5e22)]
    [InlineData("1e06", 1e6)]
    [InlineData("-2E-2", -0.02)]
    [InlineData("224_617.445_991", 224617.445991)]
    [InlineData("inf", double.PositiveInfinity)]
    [InlineData("-inf", double.NegativeInfinity)]
    public void Floats(string toml, double expected) => Assert.Equal(expected, Value<TomlFloat>(toml).Value);

    [Fact]
    public void Integer_and_float_stay_distinct_types()
    {
        // Kata writes default_vcpus both ways (a float32 in Go) and default_memory only as an integer: the binder tells them apart.
        var doc = TomlReader.Parse("default_vcpus = 1\ndefault_maxvcpus = 1.0\ndefault_memory = 2048\nratio = 2048.0\n");
        Assert.Equal(1, Assert.IsType<TomlInteger>(doc["default_vcpus"]).Value);
        Assert.Equal(1.0, Assert.IsType<TomlFloat>(doc["default_maxvcpus"]).Value);
        Assert.Equal("integer", doc["default_memory"].TypeName);
        Assert.Equal("float", doc["ratio"].TypeName);
    }

    [Fact]
    public void Nan_and_signed_zero_keep_their_meaning()
    {
        Assert.True(double.IsNaN(Value<TomlFloat>("nan").Value));
        Assert.True(double.IsNegative(Value<TomlFloat>("-0.0").Value));
        Assert.False(double.IsNegative(Value<TomlFloat>("+0.0").Value));
    }

    [Fact]
    public void Booleans()
    {
        Assert.True(Value<TomlBoolean>("true").Value);
        Assert.False(Value<TomlBoolean>("false").Value);
    }

    [Theory]
    [InlineData("1979-05-27T00:32:00.999999-07:00", "datetime")]
    [InlineData("1979-05-27T07:32:00Z", "datetime")]
    [InlineData("2024-02-29T23:59:59", "datetime-local")]
    [InlineData("2000-02-29", "date-local")]
    [InlineData("07:32:00.5", "time-local")]
    public void Date_times_are_kept_with_their_kind(string toml, string typeName) =>
        Assert.Equal(typeName, Value<TomlDateTime>(toml).TypeName);

    [Fact]
    public void Arrays_of_strings_span_lines_with_comments_and_a_trailing_comma()
    {
        var array = Value<TomlArray>("[\n  \"kernel_params\", # one\n  'default_memory',\n]");
        Assert.Equal(["kernel_params", "default_memory"], array.Cast<TomlString>().Select(s => s.Value));
    }

    [Fact]
    public void Arrays_may_mix_types_and_nest()
    {
        var array = Value<TomlArray>("[1, \"two\", [3.0, []], { four = 4 }]");
        Assert.Equal(4, array.Count);
        Assert.Equal(1, Assert.IsType<TomlInteger>(array[0]).Value);
        Assert.Equal("two", Assert.IsType<TomlString>(array[1]).Value);
        var nested = Assert.IsType<TomlArray>(array[2]);
        Assert.Equal(3.0, Assert.IsType<TomlFloat>(nested[0]).Value);
        Assert.Empty(Assert.IsType<TomlArray>(nested[1]));
        Assert.Equal(4, Assert.IsType<TomlInteger>(Assert.IsType<TomlTable>(array[3])["four"]).Value);
    }

    [Fact]
    public void Inline_tables_with_dotted_keys_and_positions()
    {
        var doc = TomlReader.Parse("t = { a.b = 1, a.c = \"x\", \"quoted key\" = {} }", "cfg.toml");
        var table = Assert.IsType<TomlTable>(doc["t"]);
        Assert.Equal(new TomlPosition("cfg.toml", 1, 5), table.Position);
        var a = Assert.IsType<TomlTable>(table["a"]);
        Assert.Equal(["b", "c"], a.Keys);
        Assert.Equal(new TomlPosition("cfg.toml", 1, 13), a["b"].Position);
        Assert.Equal(new TomlPosition("cfg.toml", 1, 18), a.GetKeyPosition("c"));
        Assert.Empty(Assert.IsType<TomlTable>(table["quoted key"]));
    }
}
