namespace Sealpod.Config.Toml;

/// <summary>A TOML date-time of any of the four kinds, as Tomlyn decoded it. No Kata key takes one; kept so nothing is lost.</summary>
public sealed class TomlDateTime(Tomlyn.TomlDateTime value, TomlPosition position) : TomlValue(position)
{
    public Tomlyn.TomlDateTime Value { get; } = value;

    public override string TypeName => Value.Kind switch
    {
        Tomlyn.TomlDateTimeKind.OffsetDateTimeByZ or Tomlyn.TomlDateTimeKind.OffsetDateTimeByNumber => "datetime",
        Tomlyn.TomlDateTimeKind.LocalDateTime => "datetime-local",
        Tomlyn.TomlDateTimeKind.LocalDate => "date-local",
        _ => "time-local",
    };

    public override string ToString() => Value.ToString();
}
