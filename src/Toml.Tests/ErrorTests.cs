namespace Sealpod.Toml.Tests;

/// <summary>Invalid documents fail with the file, the 1-based line and column of the culprit, and a reason a user can act on.</summary>
public sealed class ErrorTests
{
    private static TomlException Fails(string toml, string? file = "configuration.toml") =>
        Assert.Throws<TomlException>(() => TomlParser.Parse(toml, file));

    [Fact]
    public void Missing_equals_names_file_line_column_and_key()
    {
        var e = Fails("[hypervisor.qemu]\npath = \"/usr/bin/qemu\"\ndefault_memory 2048\n");
        Assert.Equal(new TomlPosition("configuration.toml", 3, 16), e.Position);
        Assert.Equal("configuration.toml:3:16: expected '=' after key \"default_memory\", found '2'", e.Message);
        Assert.StartsWith("expected '='", e.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a = 1\nb = [1, 2\nc = 3", 3, 1, "expected ',' or ']' in array")]
    [InlineData("a = \"abc\\qdef\"", 1, 9, "invalid escape sequence \\q")]
    [InlineData("\n  s = \"no end", 2, 7, "unterminated string")]
    [InlineData("s = '''\nline\n  \u0001'''", 3, 3, "control character U+0001")]
    [InlineData("s = \"\"\"\nok\n\\x\"\"\"", 3, 1, "invalid escape sequence \\x")]
    [InlineData("x = 1\r\ny = 2\rz = 3", 2, 6, "carriage return must be followed by a line feed")]
    [InlineData("n = 0777", 1, 5, "leading zeros")]
    [InlineData("n = 9223372036854775808", 1, 5, "does not fit in 64 bits")]
    [InlineData("n = -0x10", 1, 5, "sign is not allowed")]
    [InlineData("n = 1__0", 1, 5, "underscore")]
    [InlineData("f = 1.", 1, 5, "decimal point must be followed by a digit")]
    [InlineData("f = -1e400", 1, 5, "out of range")]
    [InlineData("d = 2023-02-29", 1, 5, "day 29 does not exist in 2023-02")]
    [InlineData("t = 24:00:00", 1, 5, "out of range")]
    [InlineData("t = {a = 1,}", 1, 12, "trailing comma")]
    [InlineData("t = {a = 1\n}", 1, 11, "single line")]
    [InlineData("s = unquoted", 1, 5, "invalid value unquoted: strings must be quoted")]
    [InlineData("b = True", 1, 5, "lower-case true or false")]
    [InlineData("a = 1 b = 2", 1, 7, "expected end of line after value, found 'b'")]
    [InlineData("[table] x = 1", 1, 9, "expected end of line after table header")]
    [InlineData("\"😀\" = [\"😀\" 1]", 1, 12, "expected ',' or ']'")]
    public void Error_positions(string toml, int line, int column, string reason)
    {
        var e = Fails(toml);
        Assert.Contains(reason, e.Reason, StringComparison.Ordinal);
        Assert.Equal(new TomlPosition("configuration.toml", line, column), e.Position);
        Assert.StartsWith($"configuration.toml:{line}:{column}: ", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a = 1\na = 2", 2, 1, "duplicate key \"a\" (first defined at configuration.toml:1:1)")]
    [InlineData("[a]\nx = 1\n[b]\n[a]", 4, 1, "table [a] is defined more than once (first at configuration.toml:1:1)")]
    [InlineData("[fruit]\napple.color = 'red'\n[fruit.apple]", 3, 1, "table [fruit.apple] was already defined with dotted keys")]
    [InlineData("[a.b.c]\nz = 9\n[a]\nb.c.t = 1", 4, 3, "cannot add to table [a.b.c] with dotted keys")]
    [InlineData("a = {x = 1}\n[a]", 2, 1, "cannot extend inline table \"a\"")]
    [InlineData("a = {x = 1}\na.y = 2", 2, 1, "cannot extend inline table \"a\"")]
    [InlineData("a = [1]\n[[a]]", 2, 1, "static array")]
    [InlineData("[[a]]\n[a]", 2, 1, "\"a\" is an array of tables")]
    [InlineData("[a]\n[[a]]", 2, 1, "\"a\" is already a table")]
    [InlineData("a = 1\n[a.b]", 2, 2, "\"a\" is already an integer (defined at configuration.toml:1:5), not a table")]
    [InlineData("[t]\np = {a.b = 1, a = 2}", 2, 15, "duplicate key \"t.p.a\" (first defined at configuration.toml:2:6)")]
    public void Redefinitions_point_at_the_second_definition(string toml, int line, int column, string reason)
    {
        var e = Fails(toml);
        Assert.Contains(reason, e.Reason, StringComparison.Ordinal);
        Assert.Equal(new TomlPosition("configuration.toml", line, column), e.Position);
    }

    [Fact]
    public void Without_a_file_name_the_message_starts_with_line_and_column()
    {
        var e = Fails("x = ", file: null);
        Assert.Equal("1:5: expected a value (string, number, boolean, date-time, array or inline table), found end of file", e.Message);
        Assert.Null(e.Position.File);
    }

    [Fact]
    public void Quoted_keys_are_quoted_in_messages()
    {
        var e = Fails("\"a b\".c = 1\n\"a b\".c = 2");
        Assert.Contains("duplicate key \"\"a b\".c\"", e.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("s = \"{0}\"", 0xD800)]
    [InlineData("# {0}", 0xDC00)]
    [InlineData("s = '{0}'", 0xD83D)]
    [InlineData("s = \"\"\"{0}\"\"\"", 0xDFFF)]
    public void Lone_surrogates_in_string_input_are_rejected(string format, int codeUnit)
    {
        // Built here: xunit would turn a lone surrogate in attribute data into U+FFFD.
        var toml = string.Format(System.Globalization.CultureInfo.InvariantCulture, format, (char)codeUnit);
        Assert.Contains("lone surrogate", Fails(toml).Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a = {0}1{1}", "[", "]")]
    [InlineData("a = {0}1{1}", "{ b = ", "}")]
    [InlineData("a = {0}1{1}", "[{ b.c = ", "}]")]
    public void Deep_nesting_is_an_error_not_a_stack_overflow(string format, string open, string close)
    {
        var depth = 100_000;
        var text = string.Format(
            System.Globalization.CultureInfo.InvariantCulture,
            format,
            string.Concat(Enumerable.Repeat(open, depth)),
            string.Concat(Enumerable.Repeat(close, depth)));
        Assert.Contains("more than 500 deep", Fails(text).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Nesting_up_to_the_limit_is_fine()
    {
        var doc = TomlParser.Parse("a = " + new string('[', 499) + new string(']', 499));
        var array = Assert.IsType<TomlArray>(doc["a"]);
        for (var i = 1; i < 499; i++)
        {
            array = Assert.IsType<TomlArray>(Assert.Single(array));
        }

        Assert.Empty(array);
    }

    [Fact]
    public void Very_long_dotted_keys_are_an_error_not_a_stack_overflow()
    {
        var key = string.Join('.', Enumerable.Repeat("k", 100_000));
        Assert.Contains("more than 500", Fails(key + " = 1").Reason, StringComparison.Ordinal);
        Assert.Contains("more than 500", Fails("[" + key + "]").Reason, StringComparison.Ordinal);
        Assert.Contains("more than 500", Fails("[" + string.Join('.', Enumerable.Repeat("k", 300)) + "]\n" + string.Join('.', Enumerable.Repeat("k", 300)) + " = 1").Reason, StringComparison.Ordinal);
    }
}
