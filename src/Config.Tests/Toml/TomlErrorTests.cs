using System.Globalization;

namespace Sealpod.Config.Tests.Toml;

/// <summary>
/// Invalid documents fail with <see cref="TomlException"/> naming the file and the 1-based line and column of the
/// culprit; the reasons are Tomlyn's. Every error of a document is kept, not just the first.
/// </summary>
public sealed class TomlErrorTests
{
    private static TomlException Fails(string toml, string? file = "configuration.toml") =>
        Assert.Throws<TomlException>(() => TomlReader.Parse(toml, file));

    // Found by fuzzing (make fuzz, target initdata): Tomlyn's lexer threw ArgumentOutOfRangeException while reporting
    // a string that ends in a backslash; it must be a TomlException like every other bad document.
    [Theory]
    [InlineData("\u001cg1\"\\")]
    [InlineData("a = \"x\\")]
    public void A_string_ending_in_an_escape_is_a_toml_error(string text)
    {
        var error = Assert.Throws<Sealpod.Config.Toml.TomlException>(() => TomlReader.Parse(text, "t.toml"));
        Assert.NotEmpty(error.Message);
    }

    [Fact]
    public void Missing_equals_names_file_line_and_column()
    {
        var e = Fails("[hypervisor.qemu]\npath = \"/usr/bin/qemu\"\ndefault_memory 2048\n");
        Assert.Equal(new TomlPosition("configuration.toml", 3, 16), e.Position);
        Assert.StartsWith("configuration.toml:3:16: ", e.Message, StringComparison.Ordinal);
        Assert.Contains("=", e.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a = 1\nb = [1, 2\nc = 3", 3, 1)]
    [InlineData("a = \"abc\\qdef\"", 1, 10)]
    [InlineData("\n  s = \"no end", 2, 13)]
    [InlineData("x = 1\r\ny = 2\rz = 3", 2, 6)]
    [InlineData("n = 0777", 1, 5)]
    [InlineData("n = 9223372036854775808", 1, 5)]
    [InlineData("s = unquoted", 1, 5)]
    [InlineData("b = True", 1, 5)]
    [InlineData("a = 1 b = 2", 1, 7)]
    [InlineData("[table] x = 1", 1, 9)]
    [InlineData("\"😀\" = [\"😀\" 1]", 1, 12)]
    public void Syntax_errors_name_line_and_column(string toml, int line, int column)
    {
        var e = Fails(toml);
        Assert.Equal(new TomlPosition("configuration.toml", line, column), e.Position);
        Assert.StartsWith($"configuration.toml:{line}:{column}: ", e.Message, StringComparison.Ordinal);
        Assert.NotEmpty(e.Reason);
    }

    [Theory]
    [InlineData("a = 1\na = 2", 2, 1)]
    [InlineData("[a]\nx = 1\n[b]\n[a]", 4, 1)]
    [InlineData("[fruit]\napple.color = 'red'\n[fruit.apple]", 3, 1)]
    [InlineData("a = {x = 1}\n[a]", 2, 1)]
    [InlineData("a = {x = 1}\na.y = 2", 2, 1)]
    [InlineData("a = [1]\n[[a]]", 2, 1)]
    [InlineData("[[a]]\n[a]", 2, 1)]
    [InlineData("a = 1\n[a.b]", 2, 2)]
    public void Duplicate_keys_and_redefined_tables_point_at_the_second_definition(string toml, int line, int column)
    {
        var e = Fails(toml);
        Assert.Equal(new TomlPosition("configuration.toml", line, column), e.Position);
        Assert.Contains("already defined", e.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_error_of_a_document_is_kept_in_order()
    {
        var e = Fails("a = 1\nb = 2\na = 3\nb = 4\n");
        Assert.Equal([new TomlPosition("configuration.toml", 3, 1), new TomlPosition("configuration.toml", 4, 1)], e.Errors.Select(x => x.Position));
        Assert.EndsWith("(and 1 more error)", e.Message, StringComparison.Ordinal);

        var syntax = Fails("a = \nb = 1\nc = 2\nd = \n");
        Assert.Equal([1, 4], syntax.Errors.Select(x => x.Position.Line));
    }

    [Fact]
    public void Without_a_file_name_the_message_starts_with_line_and_column()
    {
        var e = Fails("x = ", file: null);
        Assert.StartsWith("1:5: ", e.Message, StringComparison.Ordinal);
        Assert.Null(e.Position.File);
    }

    [Theory]
    [InlineData("s = \"{0}\"", 0xD800)]
    [InlineData("# {0}", 0xDC00)]
    [InlineData("s = '{0}'", 0xD83D)]
    public void Lone_surrogates_in_string_input_are_rejected(string format, int codeUnit)
    {
        // Built here: xunit would turn a lone surrogate in attribute data into U+FFFD.
        var toml = string.Format(CultureInfo.InvariantCulture, format, (char)codeUnit);
        Fails(toml);
    }

    [Theory]
    [InlineData("a = {0}1{1}", "[", "]")]
    [InlineData("a = {0}1{1}", "{ b = ", "}")]
    [InlineData("a = {0}1{1}", "[{ b.c = ", "}]")]
    public void Deep_nesting_is_an_error_not_a_stack_overflow(string format, string open, string close)
    {
        // Init-Data comes from the host into the guest agent: hostile input must fail cleanly.
        const int Depth = 100_000;
        var text = string.Format(
            CultureInfo.InvariantCulture,
            format,
            string.Concat(Enumerable.Repeat(open, Depth)),
            string.Concat(Enumerable.Repeat(close, Depth)));
        Assert.Contains("nested too deep", Fails(text).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Very_long_dotted_keys_are_an_error_not_a_stack_overflow()
    {
        var key = string.Join('.', Enumerable.Repeat("k", 10_000));
        Assert.Contains("more than 128 deep", Fails(key + " = 1").Reason, StringComparison.Ordinal);
        Assert.Contains("more than 128 deep", Fails("[" + key + "]").Reason, StringComparison.Ordinal);
        Assert.Contains("more than 128 deep", Fails("a = { " + key + " = 1 }").Reason, StringComparison.Ordinal);
        var half = string.Join('.', Enumerable.Repeat("k", 100));
        Assert.Contains("more than 128 deep", Fails($"[{half}]\n{half} = 1").Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Nesting_within_the_limits_is_fine()
    {
        var doc = TomlReader.Parse("a = " + new string('[', 60) + new string(']', 60) + "\n" + string.Join('.', Enumerable.Repeat("k", 120)) + " = 1");
        var array = Assert.IsType<TomlArray>(doc["a"]);
        for (var i = 1; i < 60; i++)
        {
            array = Assert.IsType<TomlArray>(Assert.Single(array));
        }

        Assert.Empty(array);
    }
}
