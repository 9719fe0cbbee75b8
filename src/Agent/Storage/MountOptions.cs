namespace Sealpod.Agent.Storage;

/// <summary>
/// Splits fstab-style options into mount(2) flags and the filesystem's own data string
/// ("ro,nodev,lowerdir=/a" → MS_RDONLY|MS_NODEV and "lowerdir=/a").
/// </summary>
internal readonly record struct MountOptions(ulong Flags, string Data)
{
    private static readonly Dictionary<string, (ulong Set, ulong Clear)> KnownFlags = new(StringComparer.Ordinal)
    {
        ["ro"] = (LibC.MS_RDONLY, 0),
        ["rw"] = (0, LibC.MS_RDONLY),
        ["nosuid"] = (LibC.MS_NOSUID, 0),
        ["suid"] = (0, LibC.MS_NOSUID),
        ["nodev"] = (LibC.MS_NODEV, 0),
        ["dev"] = (0, LibC.MS_NODEV),
        ["noexec"] = (LibC.MS_NOEXEC, 0),
        ["exec"] = (0, LibC.MS_NOEXEC),
        ["bind"] = (LibC.MS_BIND, 0),
        ["rbind"] = (LibC.MS_BIND | LibC.MS_REC, 0),
        ["defaults"] = (0, 0),
    };

    public bool ReadOnly => (Flags & LibC.MS_RDONLY) != 0;

    public static MountOptions Parse(IEnumerable<string> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ulong flags = 0;
        List<string> data = [];
        foreach (var option in options)
        {
            if (string.IsNullOrEmpty(option))
            {
                continue;
            }

            if (KnownFlags.TryGetValue(option, out var flag))
            {
                flags = (flags | flag.Set) & ~flag.Clear;
            }
            else
            {
                data.Add(option);
            }
        }

        return new MountOptions(flags, string.Join(',', data));
    }

    /// <summary>The value of a "key=value" data option, or null.</summary>
    public string? Get(string key)
    {
        foreach (var part in Data.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            if (part.Length > key.Length && part[key.Length] == '=' && part.StartsWith(key, StringComparison.Ordinal))
            {
                return part[(key.Length + 1)..];
            }
        }

        return null;
    }

    /// <summary>This data string without the "key=..." options named.</summary>
    public string DataWithout(params string[] keys) =>
        string.Join(',', Data.Split(',', StringSplitOptions.RemoveEmptyEntries)
            .Where(part => !keys.Any(key => part.StartsWith(key + "=", StringComparison.Ordinal))));
}
