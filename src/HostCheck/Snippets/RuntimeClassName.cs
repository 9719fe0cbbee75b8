namespace Sealpod.HostCheck.Snippets;

/// <summary>
/// The CRI handler / RuntimeClass name for a configuration file, following Kata's naming:
/// configuration-qemu-snp.toml is sealpod-qemu-snp, configuration.toml is sealpod.
/// </summary>
public static class RuntimeClassName
{
    public const string Prefix = "sealpod";

    public static string FromConfigFile(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var name = Path.GetFileNameWithoutExtension(path).ToLowerInvariant();
        if (name == "configuration")
        {
            return Prefix;
        }

        var stem = name.StartsWith("configuration-", StringComparison.Ordinal) ? name["configuration-".Length..] : name;

        // A RuntimeClass name is a DNS label: lower-case alphanumerics and '-', at most 63 characters.
        var label = new string(stem.Select(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) ? c : '-').ToArray()).Trim('-');
        var full = label.Length == 0 ? Prefix : $"{Prefix}-{label}";
        return full.Length <= 63 ? full : full[..63].TrimEnd('-');
    }
}
