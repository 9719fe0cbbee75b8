namespace Sealpod.Config;

/// <summary>
/// Typed access to one TOML table such as <c>[hypervisor.qemu]</c>. Each getter returns the default when the key is
/// absent, and on a wrong type or out-of-range value records an error naming the full key and the value's position,
/// then returns the default so binding goes on and every error is found in one pass. The reader remembers which keys
/// were asked for; <see cref="Finish"/> reports the rest as unknown.
/// </summary>
internal sealed class SectionReader
{
    private readonly TomlTable _table;
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);

    public SectionReader(TomlTable table, string path, DiagnosticBag diagnostics)
    {
        _table = table;
        Path = path;
        Diagnostics = diagnostics;
    }

    /// <summary>Dotted path of the table, for example <c>hypervisor.qemu</c>.</summary>
    public string Path { get; }

    public DiagnosticBag Diagnostics { get; }

    /// <summary>The table being read.</summary>
    public TomlTable Table => _table;

    /// <summary>Every key a getter asked for, present or not: the section's vocabulary.</summary>
    public IReadOnlyCollection<string> KnownKeys => _read;

    public string FullKey(string key) => $"{Path}.{key}";

    public bool Has(string key) => _table.ContainsKey(key);

    public TomlPosition? PositionOf(string key) => _table.TryGetValue(key, out var v) ? v.Position : null;

    public string String(string key, string defaultValue, StringRule? rule = null)
    {
        if (!TryGet(key, out var value))
        {
            return defaultValue;
        }

        if (value is not TomlString s)
        {
            return Mismatch(key, value, rule?.Expectation ?? "a string", defaultValue);
        }

        if (rule?.Check(s.Value) is { } expectation)
        {
            return Mismatch(key, value, expectation, defaultValue);
        }

        return s.Value;
    }

    /// <summary>An absolute path, or an empty string for "not set" (Kata's convention).</summary>
    public string AbsolutePath(string key, string defaultValue) => String(key, defaultValue, StringRule.AbsolutePathOrEmpty);

    public bool Bool(string key, bool defaultValue)
    {
        if (!TryGet(key, out var value))
        {
            return defaultValue;
        }

        return value is TomlBoolean b ? b.Value : Mismatch(key, value, "true or false", defaultValue);
    }

    public long Integer(string key, long defaultValue, long min, long max, string expectation)
    {
        if (!TryGet(key, out var value))
        {
            return defaultValue;
        }

        if (value is not TomlInteger i || i.Value < min || i.Value > max)
        {
            return Mismatch(key, value, expectation, defaultValue);
        }

        return i.Value;
    }

    public int Int32(string key, int defaultValue, int min, int max, string expectation) =>
        (int)Integer(key, defaultValue, min, max, expectation);

    /// <summary>An integer or a float (Kata's <c>default_vcpus</c> is a float32 that files usually write as an integer).</summary>
    public double Number(string key, double defaultValue, double min, double max, string expectation)
    {
        if (!TryGet(key, out var value))
        {
            return defaultValue;
        }

        double? number = value switch
        {
            TomlInteger i => i.Value,
            TomlFloat f when double.IsFinite(f.Value) => f.Value,
            _ => null,
        };
        if (number is not { } n || n < min || n > max)
        {
            return Mismatch(key, value, expectation, defaultValue);
        }

        return n;
    }

    /// <summary>Whole seconds, as Kata's timeouts are written (a uint32 in Kata's structs).</summary>
    public TimeSpan Seconds(string key, TimeSpan defaultValue, long min)
    {
        if (!Has(key))
        {
            _read.Add(key);
            return defaultValue;
        }

        return TimeSpan.FromSeconds(Integer(key, 0, min, uint.MaxValue, $"an integer number of seconds >= {min}"));
    }

    public T Choice<T>(string key, T defaultValue, ConfigChoice<T> choice)
        where T : struct, Enum
    {
        if (!TryGet(key, out var value))
        {
            return defaultValue;
        }

        if (value is TomlString s && choice.TryParse(s.Value, out var parsed))
        {
            return parsed;
        }

        return Mismatch(key, value, choice.Describe(), defaultValue);
    }

    /// <summary>An array of strings, each element checked by <paramref name="rule"/>.</summary>
    public EquatableArray<string> Strings(string key, EquatableArray<string> defaultValue, StringRule? rule = null)
    {
        if (!TryGet(key, out var value))
        {
            return defaultValue;
        }

        if (value is not TomlArray array)
        {
            return Mismatch(key, value, "an array of strings", defaultValue);
        }

        var items = ImmutableArray.CreateBuilder<string>(array.Count);
        var ok = true;
        for (var i = 0; i < array.Count; i++)
        {
            var element = array[i];
            var elementKey = $"{FullKey(key)}[{i}]";
            if (element is not TomlString s)
            {
                Diagnostics.Error(elementKey, $"expected {rule?.Expectation ?? "a string"}, found {ValueText.Describe(element)}", element.Position);
                ok = false;
                continue;
            }

            if (rule?.Check(s.Value) is { } expectation)
            {
                Diagnostics.Error(elementKey, $"expected {expectation}, found {ValueText.Describe(element)}", element.Position);
                ok = false;
                continue;
            }

            items.Add(s.Value);
        }

        return ok ? items.ToImmutable() : defaultValue;
    }

    /// <summary>Records a finding against <paramref name="key"/> at its value's position.</summary>
    public void Error(string key, string message) => Diagnostics.Error(FullKey(key), message, PositionOf(key));

    public void Warning(string key, string message) => Diagnostics.Warning(FullKey(key), message, PositionOf(key));

    /// <summary>
    /// Reports keys nobody asked for. Keys Kata accepts that Sealpod does not use are kept in
    /// <paramref name="unmodelled"/> without a warning; keys of the other hypervisor kind get a pointed warning;
    /// anything else is "unknown", with the nearest known key as a hint.
    /// </summary>
    public void Finish(
        IReadOnlySet<string> kataValidUnmodelled,
        IDictionary<string, TomlValue> unmodelled,
        IReadOnlyDictionary<string, string>? foreignKeys = null)
    {
        foreach (var (key, value) in _table)
        {
            if (_read.Contains(key))
            {
                continue;
            }

            if (kataValidUnmodelled.Contains(key))
            {
                unmodelled[FullKey(key)] = value;
                continue;
            }

            var position = _table.GetKeyPosition(key);
            if (foreignKeys is not null && foreignKeys.TryGetValue(key, out var owner))
            {
                Diagnostics.Warning(FullKey(key), $"applies to {owner} only; ignored", position);
                continue;
            }

            var suggestion = KeySuggester.Suggest(key, _read.Concat(kataValidUnmodelled));
            var hint = suggestion is null ? string.Empty : $" (did you mean \"{suggestion}\"?)";
            Diagnostics.Warning(FullKey(key), $"unknown key, ignored{hint}", position);
        }
    }

    private bool TryGet(string key, out TomlValue value)
    {
        _read.Add(key);
        return _table.TryGetValue(key, out value!);
    }

    private T Mismatch<T>(string key, TomlValue value, string expectation, T defaultValue)
    {
        Diagnostics.Error(FullKey(key), $"expected {expectation}, found {ValueText.Describe(value)}", value.Position);
        return defaultValue;
    }
}
