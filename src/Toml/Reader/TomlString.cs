namespace Sealpod.Config.Toml;

public sealed class TomlString(string value, TomlPosition position) : TomlValue(position)
{
    public string Value { get; } = value;

    public override string TypeName => "string";

    public override string ToString() => Value;
}
