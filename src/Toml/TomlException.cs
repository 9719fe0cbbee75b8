namespace Sealpod.Toml;

/// <summary>Invalid TOML. The message starts with file:line:column so a user can go straight to the spot.</summary>
public sealed class TomlException : Exception
{
    public TomlException(TomlPosition position, string reason)
        : base($"{position}: {reason}")
    {
        Position = position;
        Reason = reason;
    }

    public TomlPosition Position { get; }

    /// <summary>What was wrong, without the position.</summary>
    public string Reason { get; }
}
