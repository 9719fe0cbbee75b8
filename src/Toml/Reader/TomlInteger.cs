namespace Sealpod.Config.Toml;

public sealed class TomlInteger(long value, TomlPosition position) : TomlValue(position)
{
    public long Value { get; } = value;

    public override string TypeName => "integer";

    public override string ToString() => Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
