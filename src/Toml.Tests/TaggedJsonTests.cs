using System.Text.Json;
using Sealpod.Toml.Decoder;

namespace Sealpod.Toml.Tests;

/// <summary>The encoder spells values as toml-test expects, and the comparer that gates conformance really tells documents apart.</summary>
public sealed class TaggedJsonTests
{
    private static string? Diff(string expected, string actual)
    {
        using var e = JsonDocument.Parse(expected);
        using var a = JsonDocument.Parse(actual);
        return TaggedJsonComparer.Difference(e.RootElement, a.RootElement);
    }

    private static string Tagged(string type, string value) =>
        "{\"v\": {\"type\": \"" + type + "\", \"value\": \"" + value + "\"}}";

    [Theory]
    [InlineData("float", "1e3", "1000.0")]
    [InlineData("float", "inf", "+inf")]
    [InlineData("float", "nan", "-nan")]
    [InlineData("float", "-0.0", "-0")]
    [InlineData("datetime", "1987-07-05T17:45:56.600Z", "1987-07-05 17:45:56.6z")]
    [InlineData("datetime", "1987-07-05T17:45:56Z", "1987-07-05T19:45:56+02:00")]
    [InlineData("datetime-local", "1987-07-05T17:45:00", "1987-07-05t17:45:00.000")]
    [InlineData("time-local", "10:32:00.555", "10:32:00.555000")]
    public void Equal_by_value(string type, string expected, string actual) =>
        Assert.Null(Diff(Tagged(type, expected), Tagged(type, actual)));

    [Theory]
    [InlineData("float", "1.0", "1.0000001")]
    [InlineData("float", "0.0", "-0.0")]
    [InlineData("float", "nan", "inf")]
    [InlineData("integer", "10", "010")]
    [InlineData("string", "a", "A")]
    [InlineData("datetime", "1987-07-05T17:45:56Z", "1987-07-05T17:45:56+01:00")]
    [InlineData("datetime-local", "1987-07-05T17:45:00", "1987-07-05T17:45:00.001")]
    [InlineData("date-local", "1987-07-05", "1987-07-06")]
    public void Different_values_differ(string type, string expected, string actual) =>
        Assert.NotNull(Diff(Tagged(type, expected), Tagged(type, actual)));

    [Theory]
    [InlineData("""{"a": {"type": "integer", "value": "1"}}""", """{"a": {"type": "float", "value": "1"}}""", "expected type integer")]
    [InlineData("""{"a": {}}""", """{}""", "missing key \"a\"")]
    [InlineData("""{}""", """{"a": {}}""", "unexpected key \"a\"")]
    [InlineData("""{"a": []}""", """{"a": [[]]}""", "expected 0 array elements, got 1")]
    [InlineData("""{"a": {"b": []}}""", """{"a": {"b": {}}}""", "$.a.b: expected an array")]
    [InlineData("""{"t": {"type": {}, "value": {}}}""", """{"t": {"type": "string", "value": "x"}}""", "$.t: expected a table")]
    public void Structure_differences_are_named(string expected, string actual, string message) =>
        Assert.Contains(message, Diff(expected, actual), StringComparison.Ordinal);

    [Fact]
    public void Encoder_writes_tagged_values()
    {
        var doc = TomlParser.Parse("""
            s = "é\n"
            i = -0 # zero
            f = [inf, -inf, nan, 0.1]
            dt = 1979-05-27T00:32:00.5-07:00
            ldt = 1979-05-27 00:32:00
            ld = 1979-05-27
            lt = 00:32:00.000001
            [t]
            b = true
            """);
        var json = System.Text.Encoding.UTF8.GetString(TaggedJsonEncoder.ToUtf8(doc));
        Assert.Equal(
            """{"s":{"type":"string","value":"é\n"},"i":{"type":"integer","value":"0"},"f":[{"type":"float","value":"inf"},{"type":"float","value":"-inf"},{"type":"float","value":"nan"},{"type":"float","value":"0.1"}],"dt":{"type":"datetime","value":"1979-05-27T00:32:00.5-07:00"},"ldt":{"type":"datetime-local","value":"1979-05-27T00:32:00"},"ld":{"type":"date-local","value":"1979-05-27"},"lt":{"type":"time-local","value":"00:32:00.000001"},"t":{"b":{"type":"bool","value":"true"}}}""",
            json);
    }
}
