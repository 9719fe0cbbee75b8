namespace Sealpod.Runtime.Rootfs;

/// <summary>One of containerd's rootfs mounts (containerd.types.Mount) in domain form.</summary>
public sealed record RootfsMount(string Type, string Source, IReadOnlyList<string> Options)
{
    public bool IsReadOnly => Options.Contains("ro");

    /// <summary>The value of a <c>key=value</c> option, or null.</summary>
    public string? GetOption(string key)
    {
        string prefix = key + "=";
        foreach (var option in Options)
        {
            if (option.StartsWith(prefix, StringComparison.Ordinal))
            {
                return option[prefix.Length..];
            }
        }

        return null;
    }
}
