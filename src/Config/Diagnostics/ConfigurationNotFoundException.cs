namespace Sealpod.Config;

/// <summary>No configuration file exists at any place the search order looked; lists every place searched.</summary>
public sealed class ConfigurationNotFoundException : ConfigurationException
{
    public ConfigurationNotFoundException(IReadOnlyList<string> searched)
        : base(Format(searched))
    {
        Searched = searched;
    }

    public ConfigurationNotFoundException()
        : this([])
    {
    }

    public ConfigurationNotFoundException(string message)
        : base(message)
    {
        Searched = [];
    }

    public ConfigurationNotFoundException(string message, Exception innerException)
        : base(message, innerException)
    {
        Searched = [];
    }

    /// <summary>Each place looked at, with why it did not count (for example <c>/etc/sealpod/configuration.toml (not found)</c>).</summary>
    public IReadOnlyList<string> Searched { get; }

    private static string Format(IReadOnlyList<string> searched) =>
        searched.Count == 0
            ? "no configuration file found"
            : "no configuration file found; searched: " + string.Join(", ", searched);
}
