using Sealpod.Config.Toml;

namespace Sealpod.Agent.Images;

/// <summary>
/// Reads what image-rs reads from Init-Data's <c>cdh.toml</c> <c>[image]</c> table: <c>authenticated_registry_credentials_uri</c>
/// (a containers-auth.json; <c>agent.image_registry_auth</c> names one too and wins, as Kata's agent passes it on)
/// and <c>registry_configuration_uri</c> (a registries.conf whose <c>insecure</c> registries are spoken to in plain
/// HTTP) and <c>extra_root_certificates</c> (PEM CA certificates trusted besides the guest image's bundle, see
/// <see cref="RegistryTrust"/>). URIs are <c>file:///path</c>; <c>kbs:///</c> resources need the confidential data hub, which this guest
/// does not run, and fail the pull saying so. Read at each pull, so the files Init-Data wrote at boot are current.
/// </summary>
internal static class RegistrySettingsLoader
{
    public static RegistrySettings Load(string initDataDirectory, string? registryAuthParameter, string image)
    {
        string? authUri = registryAuthParameter;
        string? configUri = null;
        IReadOnlyList<string> extraRoots = [];
        var cdh = Path.Combine(initDataDirectory, Sealpod.InitData.InitDataGuestFiles.ConfidentialDataHubKey);
        if (File.Exists(cdh))
        {
            TomlTable root;
            try
            {
                root = TomlReader.ParseFile(cdh);
            }
            catch (TomlException e)
            {
                throw new ImagePullException(image, $"Init-Data's cdh.toml is not valid TOML: {e.Message}");
            }

            if (root.TryGetValue("image", out var imageValue) && imageValue is TomlTable imageTable)
            {
                authUri ??= StringKey(imageTable, "authenticated_registry_credentials_uri", image);
                configUri = StringKey(imageTable, "registry_configuration_uri", image);
                extraRoots = StringList(imageTable, "extra_root_certificates", image);
            }
        }

        var settings = RegistrySettings.Empty with { ExtraRootCertificates = extraRoots };
        try
        {
            if (authUri is not null)
            {
                settings = settings with { Credentials = RegistrySettings.ParseAuthFile(ReadUri(authUri, "authenticated_registry_credentials_uri", image), authUri) };
            }

            if (configUri is not null)
            {
                settings = settings with { InsecureRegistries = RegistrySettings.ParseRegistriesConf(ReadUri(configUri, "registry_configuration_uri", image), configUri) };
            }
        }
        catch (InvalidDataException e)
        {
            throw new ImagePullException(image, e.Message);
        }

        return settings;
    }

    private static string? StringKey(TomlTable table, string key, string image)
    {
        if (!table.TryGetValue(key, out var value))
        {
            return null;
        }

        return value is TomlString text
            ? text.Value
            : throw new ImagePullException(image, $"{value.Position}: image.{key}: expected a string URI (file:///path), found {value.TypeName}");
    }

    private static IReadOnlyList<string> StringList(TomlTable table, string key, string image)
    {
        if (!table.TryGetValue(key, out var value))
        {
            return [];
        }

        if (value is not TomlArray array)
        {
            throw new ImagePullException(image, $"{value.Position}: image.{key}: expected an array of PEM certificates, found {value.TypeName}");
        }

        var result = new List<string>();
        foreach (var item in array)
        {
            result.Add(item is TomlString text
                ? text.Value
                : throw new ImagePullException(image, $"{item.Position}: image.{key}: expected PEM certificate strings, found {item.TypeName}"));
        }

        return result;
    }

    private static string ReadUri(string uri, string key, string image)
    {
        if (uri.StartsWith("file://", StringComparison.Ordinal))
        {
            var path = uri["file://".Length..];
            try
            {
                return File.ReadAllText(path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new ImagePullException(image, $"{key} {uri} cannot be read: {e.Message}");
            }
        }

        throw new ImagePullException(image, uri.StartsWith("kbs://", StringComparison.Ordinal)
            ? $"{key} {uri} is a KBS resource, which needs the confidential data hub; this guest reads file:/// URIs only"
            : $"{key} '{uri}' is not a file:/// URI");
    }
}
