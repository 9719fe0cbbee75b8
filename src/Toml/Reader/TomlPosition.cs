namespace Sealpod.Config.Toml;

/// <summary>Where a value or key starts in its source: 1-based line and column (in Unicode scalar values).</summary>
public readonly record struct TomlPosition(string? File, int Line, int Column)
{
    public override string ToString() => File is null ? $"{Line}:{Column}" : $"{File}:{Line}:{Column}";
}
