namespace Sealpod.Config.Toml;

/// <summary>One reason a document is not valid TOML, and where.</summary>
public readonly record struct TomlError(TomlPosition Position, string Reason)
{
    public override string ToString() => $"{Position}: {Reason}";
}
