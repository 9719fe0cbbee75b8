namespace Sealpod.Runtime.Network;

/// <summary>
/// The DNS lines CreateSandbox carries (Kata's <c>dns</c>): the resolv.conf the spec mounts at /etc/resolv.conf (CRI
/// writes one per pod from its DNS config), its nameserver, search, domain and options lines. None when nothing is
/// mounted there: the guest then keeps its own.
/// </summary>
public static class PodDns
{
    private static readonly string[] Keywords = ["nameserver", "search", "domain", "options"];

    public static IReadOnlyList<string> FromBundle(OciBundle bundle)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        using var document = JsonDocument.Parse(bundle.ConfigJson);
        if (!document.RootElement.TryGetProperty("mounts", out var mounts) || mounts.ValueKind != JsonValueKind.Array)
        {
            return [];
        }

        foreach (var mount in mounts.EnumerateArray())
        {
            if (mount.ValueKind == JsonValueKind.Object
                && mount.TryGetProperty("destination", out var destination) && destination.ValueKind == JsonValueKind.String && destination.GetString() == "/etc/resolv.conf"
                && mount.TryGetProperty("source", out var source) && source.ValueKind == JsonValueKind.String && source.GetString() is { Length: > 0 } path
                && Path.IsPathFullyQualified(path))
            {
                return Lines(path);
            }
        }

        return [];
    }

    /// <summary>The resolver lines of a resolv.conf file; a file that cannot be read gives none.</summary>
    public static IReadOnlyList<string> Lines(string path)
    {
        try
        {
            return File.ReadAllLines(path)
                .Select(line => line.Trim())
                .Where(line => Keywords.Any(keyword => line.StartsWith(keyword + " ", StringComparison.Ordinal) || line.StartsWith(keyword + "\t", StringComparison.Ordinal)))
                .ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }
}
