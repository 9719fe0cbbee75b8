namespace Sealpod.Runtime.Network;

/// <summary>
/// The pod's network namespace as the sandbox container's OCI spec names it (<c>linux.namespaces[type=network].path</c>):
/// CRI and <c>ctr run --with-ns network:PATH</c> put the namespace CNI configured there. No path (or no network entry)
/// means the pod has no network of its own to join: the VM gets no NIC.
/// </summary>
public static class OciNetworkNamespace
{
    public static string? PathOf(OciBundle bundle)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        using var document = JsonDocument.Parse(bundle.ConfigJson);
        if (!document.RootElement.TryGetProperty("linux", out var linux) || linux.ValueKind != JsonValueKind.Object
            || !linux.TryGetProperty("namespaces", out var namespaces) || namespaces.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        foreach (var entry in namespaces.EnumerateArray())
        {
            if (entry.ValueKind == JsonValueKind.Object && entry.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String
                && type.GetString() == "network")
            {
                if (!entry.TryGetProperty("path", out var path) || path.ValueKind != JsonValueKind.String || path.GetString() is not { Length: > 0 } value)
                {
                    return null;
                }

                return Path.IsPathFullyQualified(value) && !value.Contains('\n', StringComparison.Ordinal)
                    ? value
                    : throw new InvalidArgumentException($"{bundle.Directory}/config.json: linux.namespaces[type=network].path '{value}': expected an absolute path");
            }
        }

        return null;
    }
}
