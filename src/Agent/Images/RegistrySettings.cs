using Sealpod.Config.Toml;

namespace Sealpod.Agent.Images;

/// <summary>
/// How the guest reaches registries, from Init-Data as image-rs reads it: credentials from a containers-auth.json
/// (<c>authenticated_registry_credentials_uri</c> / <c>agent.image_registry_auth</c>) and the registries a
/// registries.conf (<c>registry_configuration_uri</c>) marks <c>insecure</c>, the only ones spoken to in plain HTTP.
/// Registries are keyed by host[:port] as written in those files (Docker Hub also as "docker.io").
/// </summary>
internal sealed record RegistrySettings
{
    public static readonly RegistrySettings Empty = new();

    public IReadOnlyDictionary<string, RegistryCredentials> Credentials { get; init; } = new Dictionary<string, RegistryCredentials>(StringComparer.OrdinalIgnoreCase);

    public IReadOnlySet<string> InsecureRegistries { get; init; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// PEM CA certificates Init-Data adds to the guest image's bundle (cdh.toml <c>[image] extra_root_certificates</c>,
    /// as image-rs reads it): a private registry's CA, trusted because it is in the measured Init-Data.
    /// </summary>
    public IReadOnlyList<string> ExtraRootCertificates { get; init; } = [];

    public RegistryCredentials? CredentialsFor(string registry)
    {
        if (Credentials.TryGetValue(registry, out var credentials))
        {
            return credentials;
        }

        // Docker's own auth files name Docker Hub by its old index URL.
        return registry == ImageReference.DockerHub && Credentials.TryGetValue("https://index.docker.io/v1/", out credentials) ? credentials : null;
    }

    public bool IsInsecure(string registry) => InsecureRegistries.Contains(registry);

    /// <summary>Reads containers-auth.json; <paramref name="source"/> names it in errors (never its content).</summary>
    public static Dictionary<string, RegistryCredentials> ParseAuthFile(string json, string source)
    {
        RegistryAuthFile? file;
        try
        {
            file = JsonSerializer.Deserialize(json, ImageJsonContext.Default.RegistryAuthFile);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{source}: not a containers-auth.json document ({{\"auths\": {{\"registry\": {{\"auth\": \"base64(user:password)\"}}}}}}): {e.Message}");
        }

        var result = new Dictionary<string, RegistryCredentials>(StringComparer.OrdinalIgnoreCase);
        foreach (var (registry, entry) in file?.Auths ?? [])
        {
            if (entry.Auth is { Length: > 0 } auth)
            {
                string decoded;
                try
                {
                    decoded = Encoding.UTF8.GetString(Convert.FromBase64String(auth));
                }
                catch (FormatException)
                {
                    throw new InvalidDataException($"{source}: auths.\"{registry}\".auth is not base64 of user:password");
                }

                var colon = decoded.IndexOf(':', StringComparison.Ordinal);
                if (colon <= 0)
                {
                    throw new InvalidDataException($"{source}: auths.\"{registry}\".auth is not base64 of user:password");
                }

                result[registry] = new RegistryCredentials(decoded[..colon], decoded[(colon + 1)..]);
            }
            else if (entry.Username is { Length: > 0 } user)
            {
                result[registry] = new RegistryCredentials(user, entry.Password ?? "");
            }
        }

        return result;
    }

    /// <summary>
    /// The insecure registries of a registries.conf: version 2's <c>[[registry]] location = "..." insecure = true</c>
    /// and version 1's <c>[registries.insecure] registries = [...]</c>.
    /// </summary>
    public static HashSet<string> ParseRegistriesConf(string toml, string source)
    {
        TomlTable root;
        try
        {
            root = TomlReader.Parse(toml, source);
        }
        catch (TomlException e)
        {
            throw new InvalidDataException($"{source}: {e.Message}");
        }

        var insecure = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        if (root.TryGetValue("registry", out var registries))
        {
            if (registries is not TomlArray array)
            {
                throw new InvalidDataException($"{source}: registry: expected an array of tables ([[registry]])");
            }

            foreach (var item in array)
            {
                if (item is not TomlTable table || !table.TryGetValue("location", out var location) && !table.TryGetValue("prefix", out location) || location is not TomlString host)
                {
                    throw new InvalidDataException($"{item.Position}: [[registry]] needs location = \"host[:port]\"");
                }

                if (table.TryGetValue("insecure", out var flag))
                {
                    if (flag is not TomlBoolean boolean)
                    {
                        throw new InvalidDataException($"{flag.Position}: registry.insecure: expected true or false");
                    }

                    if (boolean.Value)
                    {
                        insecure.Add(host.Value);
                    }
                }
            }
        }

        if (root.TryGetValue("registries", out var v1) && v1 is TomlTable v1Table
            && v1Table.TryGetValue("insecure", out var v1Insecure) && v1Insecure is TomlTable insecureTable
            && insecureTable.TryGetValue("registries", out var list) && list is TomlArray hosts)
        {
            foreach (var host in hosts.OfType<TomlString>())
            {
                insecure.Add(host.Value);
            }
        }

        return insecure;
    }
}
