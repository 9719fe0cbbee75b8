namespace Sealpod.Agent.Containers;

/// <summary>
/// A spec's <c>net.*</c> sysctls, which the agent writes itself. The guest's containers share the guest's network
/// namespace (the pod's interfaces live there, <see cref="SpecPolicy"/> drops the spec's network namespace), and crun
/// refuses a <c>net.*</c> sysctl for a container that does not create its own network namespace. Kata's agent writes
/// every sysctl of the spec from inside the container's namespaces, which for <c>net.*</c> is the same guest network
/// namespace: writing them here, before the runtime creates the container, gives the same result. The other
/// namespaced sysctls (IPC: <c>kernel.shm*</c>, <c>kernel.msg*</c>, <c>kernel.sem</c>, <c>fs.mqueue.*</c>) stay in the
/// spec and crun applies them in the container's own IPC namespace.
/// </summary>
internal static class NetworkSysctls
{
    /// <summary>Splits a spec's sysctls into those the runtime applies and the <c>net.*</c> ones the agent writes.</summary>
    public static (IReadOnlyDictionary<string, string>? ForRuntime, IReadOnlyList<KeyValuePair<string, string>> ForAgent) Split(IReadOnlyDictionary<string, string>? sysctls)
    {
        if (sysctls is null || sysctls.Count == 0)
        {
            return (sysctls, []);
        }

        var network = sysctls.Where(pair => IsNetwork(pair.Key)).OrderBy(pair => pair.Key, StringComparer.Ordinal).ToList();
        if (network.Count == 0)
        {
            return (sysctls, []);
        }

        var rest = sysctls.Where(pair => !IsNetwork(pair.Key)).ToDictionary(pair => pair.Key, pair => pair.Value, StringComparer.Ordinal);
        return (rest.Count == 0 ? null : rest, network);
    }

    /// <summary>
    /// Writes each sysctl under <paramref name="procSys"/> (<c>/proc/sys</c>; a test gives a directory of its own).
    /// Every key is checked first, so a bad one writes nothing; errors name the key.
    /// </summary>
    public static void Write(IReadOnlyList<KeyValuePair<string, string>> sysctls, string procSys = "/proc/sys")
    {
        ArgumentNullException.ThrowIfNull(sysctls);
        var paths = sysctls.Select(pair => (pair.Key, pair.Value, Path: Path.Combine(procSys, RelativePath(pair.Key)))).ToList();
        foreach (var (key, value, path) in paths)
        {
            if (!File.Exists(path))
            {
                throw new InvalidArgumentException($"linux.sysctl: {key}: the guest kernel has no such network sysctl ({path} does not exist)");
            }

            try
            {
                File.WriteAllText(path, value);
            }
            catch (IOException e)
            {
                throw new InvalidArgumentException($"linux.sysctl: {key} = '{value}': the guest kernel refused the value: {e.Message}", e);
            }
            catch (UnauthorizedAccessException e)
            {
                throw new InvalidArgumentException($"linux.sysctl: {key}: cannot be written: {e.Message}", e);
            }
        }
    }

    /// <summary>
    /// The path below /proc/sys of a <c>net.*</c> key. As runc: a key holding '/' is already a path (so an interface
    /// name with a dot can be named, <c>net/ipv4/conf/eth0.100/rp_filter</c>); otherwise every '.' separates. No
    /// component may be empty, '.' or '..', so the write stays below /proc/sys/net.
    /// </summary>
    internal static string RelativePath(string key)
    {
        var parts = key.Contains('/', StringComparison.Ordinal) ? key.Split('/') : key.Split('.');
        if (parts.Length < 2 || parts[0] != "net" || parts.Any(part => part.Length == 0 || part is "." or ".." || part.Contains('\0', StringComparison.Ordinal)))
        {
            throw new InvalidArgumentException($"linux.sysctl: '{key}' is not a network sysctl name (net.<name>[.<name>...], no empty, '.' or '..' part)");
        }

        return string.Join('/', parts);
    }

    private static bool IsNetwork(string key) => key.StartsWith("net.", StringComparison.Ordinal) || key.StartsWith("net/", StringComparison.Ordinal);
}
