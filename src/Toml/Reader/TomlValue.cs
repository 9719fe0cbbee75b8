namespace Sealpod.Config.Toml;

/// <summary>
/// A TOML value as Tomlyn read it, with where it was written, so callers can name file:line:column in errors (Tomlyn's own
/// model, <c>Tomlyn.Model.TomlTable</c>, keeps plain .NET values without positions; its syntax tree has them).
/// </summary>
public abstract class TomlValue
{
    private protected TomlValue(TomlPosition position)
    {
        Position = position;
    }

    public TomlPosition Position { get; }

    /// <summary>The TOML type name as the toml-test suite spells it (string, integer, float, bool, datetime, datetime-local, date-local, time-local, array, table).</summary>
    public abstract string TypeName { get; }
}
