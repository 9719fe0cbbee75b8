namespace Sealpod.IntegrationTests;

/// <summary>Edits a shipped configuration's text the way a user would: one key of one section, comments kept.</summary>
internal static class TomlText
{
    /// <summary>Replaces the value of <paramref name="key"/> in <c>[<paramref name="section"/>]</c>; the key must be there.</summary>
    public static string Set(string text, string section, string key, string value)
    {
        var lines = text.Split('\n');
        int start = Array.FindIndex(lines, l => l.Trim() == $"[{section}]");
        Assert.True(start >= 0, $"section [{section}] not found");
        for (int i = start + 1; i < lines.Length && !lines[i].TrimStart().StartsWith('['); i++)
        {
            if (lines[i].TrimStart().StartsWith(key + " ", StringComparison.Ordinal) || lines[i].TrimStart().StartsWith(key + "=", StringComparison.Ordinal))
            {
                lines[i] = $"{key} = {value}";
                return string.Join('\n', lines);
            }
        }

        Assert.Fail($"{key} not found in [{section}]");
        return text;
    }
}
