namespace Sealpod.Config;

/// <summary>
/// Deep-merges <c>config.d</c> drop-ins onto the main document: tables merge key by key, any other value (arrays
/// included) is replaced whole by the later file. Values are the parsed originals, so each keeps the position of the
/// file that set it.
/// </summary>
internal static class TomlMerger
{
    public static TomlTable Merge(TomlTable baseTable, TomlTable overlay)
    {
        var entries = new List<KeyValuePair<string, TomlValue>>(baseTable.Count + overlay.Count);
        var positions = new Dictionary<string, TomlPosition>(StringComparer.Ordinal);
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (key, value) in baseTable)
        {
            index[key] = entries.Count;
            entries.Add(new(key, value));
            positions[key] = baseTable.GetKeyPosition(key);
        }

        foreach (var (key, value) in overlay)
        {
            if (index.TryGetValue(key, out var at))
            {
                if (entries[at].Value is TomlTable existing && value is TomlTable incoming)
                {
                    // The table stays where it was first defined; its keys come from whichever file set them.
                    entries[at] = new(key, Merge(existing, incoming));
                    continue;
                }

                entries[at] = new(key, value);
            }
            else
            {
                index[key] = entries.Count;
                entries.Add(new(key, value));
            }

            positions[key] = overlay.GetKeyPosition(key);
        }

        return new TomlTable(entries, positions, baseTable.Position);
    }
}
