namespace Sealpod.Runtime.Oci;

/// <summary>
/// A container bundle as containerd lays it out: the directory with <c>config.json</c> and the <c>rootfs</c>
/// mount point. The spec is kept as the raw JSON document; translation to the agent's protobuf reads it there,
/// so fields this type does not surface are not lost on the way.
/// </summary>
public sealed class OciBundle
{
    private OciBundle(string directory, byte[] configJson, IReadOnlyDictionary<string, string> annotations, bool terminal, string hostname)
    {
        Directory = directory;
        ConfigJson = configJson;
        Annotations = annotations;
        Terminal = terminal;
        Hostname = hostname;
    }

    public string Directory { get; }

    /// <summary>Where containerd's rootfs mounts go and what the image is built from.</summary>
    public string RootfsPath => Path.Combine(Directory, "rootfs");

    /// <summary>The bytes of <c>config.json</c>.</summary>
    public ReadOnlyMemory<byte> ConfigJson { get; }

    public IReadOnlyDictionary<string, string> Annotations { get; }

    /// <summary><c>process.terminal</c>.</summary>
    public bool Terminal { get; }

    /// <summary><c>hostname</c>, empty when unset.</summary>
    public string Hostname { get; }

    /// <summary>Reads <c>config.json</c> from <paramref name="directory"/>.</summary>
    /// <exception cref="InvalidArgumentException">The file is missing or is not an OCI spec.</exception>
    public static OciBundle Load(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        string path = Path.Combine(directory, "config.json");
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidArgumentException($"cannot read the OCI spec {path}: {e.Message}", e);
        }

        return Parse(directory, bytes, path);
    }

    /// <summary>Parses spec bytes; <paramref name="source"/> names them in errors.</summary>
    public static OciBundle Parse(string directory, byte[] configJson, string source)
    {
        ArgumentNullException.ThrowIfNull(configJson);
        try
        {
            using var document = JsonDocument.Parse(configJson);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidArgumentException($"{source}: expected a JSON object, found {root.ValueKind}");
            }

            // Every later reader of config.json (translation, cgroups, network, DNS) reads strings from these bytes.
            JsonText.EnsureDecodable(root, source);

            var annotations = new Dictionary<string, string>(StringComparer.Ordinal);
            if (root.TryGetProperty("annotations", out var map) && map.ValueKind == JsonValueKind.Object)
            {
                foreach (var entry in map.EnumerateObject())
                {
                    if (entry.Value.ValueKind != JsonValueKind.String)
                    {
                        throw new InvalidArgumentException($"{source}: annotations.{entry.Name}: expected a string, found {entry.Value.ValueKind}");
                    }

                    annotations[entry.Name] = entry.Value.GetString()!;
                }
            }

            bool terminal = root.TryGetProperty("process", out var process)
                && process.ValueKind == JsonValueKind.Object
                && process.TryGetProperty("terminal", out var t)
                && t.ValueKind == JsonValueKind.True;
            string hostname = root.TryGetProperty("hostname", out var h) && h.ValueKind == JsonValueKind.String ? h.GetString()! : string.Empty;
            return new OciBundle(directory, configJson, annotations, terminal, hostname);
        }
        catch (JsonException e)
        {
            throw new InvalidArgumentException($"{source} is not valid JSON: {e.Message}", e);
        }
    }
}
