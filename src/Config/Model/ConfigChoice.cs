namespace Sealpod.Config;

/// <summary>
/// The spellings Kata uses for one choice-valued key (for example <c>virtio-scsi</c> for
/// <see cref="BlockDeviceDriver.VirtioScsi"/>): parses them, and renders a value back the way Kata writes it.
/// </summary>
public sealed class ConfigChoice<T>
    where T : struct, Enum
{
    private readonly FrozenDictionary<string, T> _byName;
    private readonly FrozenDictionary<T, string> _byValue;

    /// <param name="names">Canonical spelling per value, in the order they are listed in messages.</param>
    /// <param name="aliases">Extra accepted spellings (older Kata names).</param>
    public ConfigChoice(IReadOnlyList<KeyValuePair<T, string>> names, IReadOnlyList<KeyValuePair<string, T>>? aliases = null)
    {
        ArgumentNullException.ThrowIfNull(names);
        var byName = new Dictionary<string, T>(StringComparer.Ordinal);
        var byValue = new Dictionary<T, string>();
        foreach (var (value, name) in names)
        {
            byName.Add(name, value);
            byValue.Add(value, name);
        }

        foreach (var (name, value) in aliases ?? [])
        {
            byName.Add(name, value);
        }

        _byName = byName.ToFrozenDictionary(StringComparer.Ordinal);
        _byValue = byValue.ToFrozenDictionary();
        Names = [.. names.Select(n => n.Value)];
    }

    /// <summary>The canonical spellings, in order.</summary>
    public EquatableArray<string> Names { get; }

    /// <summary>The accepted spellings for a message: <c>"virtio-scsi", "virtio-blk" or "nvdimm"</c>.</summary>
    public string Describe()
    {
        var quoted = Names.Select(n => $"\"{n}\"").ToArray();
        return quoted.Length switch
        {
            0 => string.Empty,
            1 => quoted[0],
            _ => string.Join(", ", quoted[..^1]) + " or " + quoted[^1],
        };
    }

    public bool TryParse(string text, out T value) => _byName.TryGetValue(text, out value);

    /// <exception cref="FormatException">Not one of the accepted spellings.</exception>
    public T Parse(string text) =>
        TryParse(text, out var value) ? value : throw new FormatException($"expected {Describe()}, found \"{text}\"");

    /// <summary>Kata's spelling of <paramref name="value"/>.</summary>
    public string NameOf(T value) => _byValue[value];
}
