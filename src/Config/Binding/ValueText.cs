namespace Sealpod.Config;

/// <summary>Renders what was found for error messages: <c>string "2G"</c>, <c>integer 128</c>, <c>array</c>.</summary>
internal static class ValueText
{
    private const int MaxShown = 64;

    public static string Describe(TomlValue value) => value switch
    {
        TomlString s => "string " + Quote(s.Value),
        TomlInteger i => "integer " + i.Value.ToString(CultureInfo.InvariantCulture),
        TomlFloat f => "float " + f,
        TomlBoolean b => "bool " + b,
        TomlArray a => a.Count == 0 ? "empty array" : "array",
        TomlTable => "table",
        _ => value.TypeName,
    };

    /// <summary>Double-quoted, control characters escaped, long values cut so one line stays readable.</summary>
    public static string Quote(string text)
    {
        var shown = text.Length > MaxShown ? text[..MaxShown] : text;
        var builder = new StringBuilder(shown.Length + 2).Append('"');
        foreach (var c in shown)
        {
            _ = c switch
            {
                '"' => builder.Append("\\\""),
                '\\' => builder.Append("\\\\"),
                '\n' => builder.Append("\\n"),
                '\t' => builder.Append("\\t"),
                '\r' => builder.Append("\\r"),
                _ when char.IsControl(c) => builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture)),
                _ => builder.Append(c),
            };
        }

        builder.Append('"');
        if (shown.Length < text.Length)
        {
            builder.Append("...");
        }

        return builder.ToString();
    }
}
