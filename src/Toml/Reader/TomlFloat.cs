namespace Sealpod.Config.Toml;

public sealed class TomlFloat(double value, TomlPosition position) : TomlValue(position)
{
    public double Value { get; } = value;

    public override string TypeName => "float";

    public override string ToString() => Value.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
}
