namespace Sealpod.Agent.Cgroups;

/// <summary>Parsers for the small text files of cgroupfs.</summary>
internal static class CgroupFiles
{
    /// <summary>A single number; "max" (no limit) reads as <see cref="ulong.MaxValue"/>; missing reads as 0.</summary>
    public static ulong ReadValue(string? directory, string file)
    {
        var text = ReadText(directory, file)?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            return 0;
        }

        if (text == "max")
        {
            return ulong.MaxValue;
        }

        return ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : 0;
    }

    /// <summary>"key value" lines (cpu.stat, memory.stat, memory.events, memory.oom_control).</summary>
    public static Dictionary<string, ulong> ReadKeyValues(string? directory, string file)
    {
        var values = new Dictionary<string, ulong>(StringComparer.Ordinal);
        var text = ReadText(directory, file);
        if (text is null)
        {
            return values;
        }

        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 2 && ulong.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            {
                values[parts[0]] = value;
            }
        }

        return values;
    }

    /// <summary>Space-separated numbers (cpuacct.usage_percpu).</summary>
    public static IReadOnlyList<ulong> ReadList(string? directory, string file)
    {
        var text = ReadText(directory, file);
        if (text is null)
        {
            return [];
        }

        return [.. text.Split([' ', '\n'], StringSplitOptions.RemoveEmptyEntries)
            .Select(part => ulong.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : 0)];
    }

    private static string? ReadText(string? directory, string file)
    {
        if (directory is null)
        {
            return null;
        }

        try
        {
            return File.ReadAllText(Path.Combine(directory, file));
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or IOException)
        {
            return null;
        }
    }
}
