namespace Sealpod.Vmm.Qemu.Args;

/// <summary>
/// Builds QEMU's <c>value,key=value,...</c> option strings. QEMU splits options on commas, so a
/// comma inside a value (a path, a name) must be doubled; forgetting that lets a crafted path
/// inject extra options, which is why every record goes through this builder.
/// </summary>
public sealed class QemuOptionList
{
    private readonly StringBuilder _builder = new();

    /// <summary>Starts a list, optionally with a leading implied value (the driver or backend type).</summary>
    public QemuOptionList(string? impliedValue = null)
    {
        if (impliedValue is not null)
        {
            _builder.Append(Escape(impliedValue));
        }
    }

    /// <summary>Adds <c>key=value</c>; a null value adds nothing so optional keys stay out of the argv.</summary>
    public QemuOptionList Add(string key, string? value)
    {
        if (value is null)
        {
            return this;
        }

        if (_builder.Length > 0)
        {
            _builder.Append(',');
        }

        _builder.Append(key).Append('=').Append(Escape(value));
        return this;
    }

    /// <summary>Adds <c>key=N</c> when the value is present.</summary>
    public QemuOptionList Add(string key, long? value) =>
        value is null ? this : Add(key, value.Value.ToString(CultureInfo.InvariantCulture));

    /// <summary>Adds <c>key=on|off</c> when the value is present.</summary>
    public QemuOptionList Add(string key, bool? value) =>
        value is null ? this : Add(key, value.Value ? "on" : "off");

    /// <summary>Adds a pre-formed <c>key=value</c> item verbatim (configured extras, already checked).</summary>
    public QemuOptionList AddRaw(string item)
    {
        if (_builder.Length > 0)
        {
            _builder.Append(',');
        }

        _builder.Append(item);
        return this;
    }

    /// <inheritdoc />
    public override string ToString() => _builder.ToString();

    /// <summary>Doubles commas, QEMU's only escape inside an option value.</summary>
    public static string Escape(string value) => value.Replace(",", ",,", StringComparison.Ordinal);
}
