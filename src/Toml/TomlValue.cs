namespace Sealpod.Toml;

/// <summary>A parsed TOML value. Every value remembers where it was written so callers can name file:line:column in errors.</summary>
public abstract class TomlValue
{
    private protected TomlValue(TomlPosition position)
    {
        Position = position;
    }

    public TomlPosition Position { get; }

    /// <summary>The TOML type name as toml-test spells it (string, integer, float, bool, datetime, datetime-local, date-local, time-local, array, table).</summary>
    public abstract string TypeName { get; }
}
