namespace Sealpod.Config;

/// <summary>
/// Where each key of a loaded configuration was written: after <c>config.d</c> merging, a key points at the file that
/// set it last. Lets later stages (drivers, annotation overrides) name <c>file:line:column</c> in their errors too.
/// </summary>
public sealed class ConfigurationSourceMap
{
    private readonly FrozenDictionary<string, (TomlPosition Key, TomlPosition Value)> _entries;

    private ConfigurationSourceMap(FrozenDictionary<string, (TomlPosition Key, TomlPosition Value)> entries)
    {
        _entries = entries;
    }

    public static ConfigurationSourceMap Empty { get; } = new(FrozenDictionary<string, (TomlPosition, TomlPosition)>.Empty);

    /// <summary>Every recorded dotted key path (tables included).</summary>
    public IEnumerable<string> Keys => _entries.Keys;

    /// <summary>Where the value of <paramref name="keyPath"/> (for example <c>hypervisor.qemu.kernel</c>) starts.</summary>
    public TomlPosition? GetValuePosition(string keyPath) => _entries.TryGetValue(keyPath, out var e) ? e.Value : null;

    /// <summary>Where the key itself was written.</summary>
    public TomlPosition? GetKeyPosition(string keyPath) => _entries.TryGetValue(keyPath, out var e) ? e.Key : null;

    internal static ConfigurationSourceMap FromTable(TomlTable root)
    {
        var entries = new Dictionary<string, (TomlPosition, TomlPosition)>(StringComparer.Ordinal);
        Walk(root, prefix: null, entries);
        return new ConfigurationSourceMap(entries.ToFrozenDictionary(StringComparer.Ordinal));
    }

    private static void Walk(TomlTable table, string? prefix, Dictionary<string, (TomlPosition, TomlPosition)> entries)
    {
        foreach (var (key, value) in table)
        {
            var path = prefix is null ? key : $"{prefix}.{key}";
            entries[path] = (table.GetKeyPosition(key), value.Position);
            if (value is TomlTable child)
            {
                Walk(child, path, entries);
            }
        }
    }
}
