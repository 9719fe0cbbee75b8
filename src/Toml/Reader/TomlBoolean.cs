namespace Sealpod.Config.Toml;

public sealed class TomlBoolean(bool value, TomlPosition position) : TomlValue(position)
{
    public bool Value { get; } = value;

    public override string TypeName => "bool";

    public override string ToString() => Value ? "true" : "false";
}
