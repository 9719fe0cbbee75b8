namespace Sealpod.Config;

/// <summary>
/// Finds, reads, merges and validates the runtime configuration, Kata-style. Search order: the explicit path
/// (containerd's <c>ConfigPath</c> runtime option, <c>ctr --runtime-config-path</c>), then <c>$SEALPOD_CONF_FILE</c>,
/// then <c>/etc/sealpod/configuration.toml</c>, then <c>/usr/share/defaults/sealpod/configuration.toml</c>. An explicit
/// path or the variable, when given, must exist (no falling through, as in Kata). Every <c>*.toml</c> in
/// <c>config.d/</c> next to the chosen file is merged on top in lexical order, later files winning key by key.
/// </summary>
public sealed class ConfigurationLoader
{
    public const string ConfigFileEnvironmentVariable = "SEALPOD_CONF_FILE";

    public const string SystemConfigPath = "/etc/sealpod/configuration.toml";

    public const string DefaultConfigPath = "/usr/share/defaults/sealpod/configuration.toml";

    public const string DropInDirectoryName = "config.d";

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly ConfigurationLoaderOptions _options;

    public ConfigurationLoader()
        : this(new ConfigurationLoaderOptions())
    {
    }

    public ConfigurationLoader(ConfigurationLoaderOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
    }

    /// <summary>Applies the search order and returns the file to load.</summary>
    /// <exception cref="ConfigurationNotFoundException">Nothing usable was found; lists every place searched.</exception>
    public string ResolveConfigurationPath(string? explicitPath = null)
    {
        if (!string.IsNullOrEmpty(explicitPath))
        {
            return RequireFile(Map(explicitPath), $"explicit path {explicitPath}");
        }

        var fromEnvironment = _options.GetEnvironmentVariable(ConfigFileEnvironmentVariable);
        if (!string.IsNullOrEmpty(fromEnvironment))
        {
            return RequireFile(Map(fromEnvironment), $"${ConfigFileEnvironmentVariable}={fromEnvironment}");
        }

        var searched = new List<string>
        {
            "explicit path (none given)",
            $"${ConfigFileEnvironmentVariable} (not set)",
        };
        foreach (var candidate in new[] { SystemConfigPath, DefaultConfigPath })
        {
            var real = Map(candidate);
            if (File.Exists(real))
            {
                return real;
            }

            searched.Add($"{real} ({Describe(real)})");
        }

        throw new ConfigurationNotFoundException(searched);
    }

    /// <summary>Resolves (see <see cref="ResolveConfigurationPath"/>) and loads.</summary>
    public Task<SealpodConfiguration> LoadAsync(string? explicitPath = null, CancellationToken cancellationToken = default) =>
        LoadFileAsync(ResolveConfigurationPath(explicitPath), cancellationToken);

    /// <summary>Loads <paramref name="path"/> (a real path, not re-rooted) plus its <c>config.d</c> drop-ins.</summary>
    /// <exception cref="ConfigurationException">Unreadable or invalid TOML, or invalid configuration: every error at once.</exception>
    public async Task<SealpodConfiguration> LoadFileAsync(string path, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var files = new List<string> { path };
        var dropInDirectory = System.IO.Path.Combine(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path)) ?? "/", DropInDirectoryName);
        if (Directory.Exists(dropInDirectory))
        {
            files.AddRange(Directory.EnumerateFiles(dropInDirectory)
                .Where(f => f.EndsWith(".toml", StringComparison.Ordinal))
                .Order(StringComparer.Ordinal));
        }

        var errors = new List<ConfigurationDiagnostic>();
        TomlTable? merged = null;
        foreach (var file in files)
        {
            var document = await ParseFileAsync(file, errors, cancellationToken).ConfigureAwait(false);
            if (document is not null)
            {
                merged = merged is null ? document : TomlMerger.Merge(merged, document);
            }
        }

        if (errors.Count > 0 || merged is null)
        {
            throw new ConfigurationException(errors);
        }

        return ConfigurationPipeline.Build(merged, files.ToEquatableArray());
    }

    /// <summary>
    /// Loads configuration given as text (containerd 2.x's <c>ConfigBody</c> runtime option). There is no directory,
    /// so no drop-ins; <paramref name="sourceName"/> labels positions in messages.
    /// </summary>
    public static SealpodConfiguration LoadText(string text, string sourceName = "ConfigBody")
    {
        ArgumentNullException.ThrowIfNull(text);
        TomlTable document;
        try
        {
            document = TomlReader.Parse(text, sourceName);
        }
        catch (TomlException e)
        {
            throw new ConfigurationException([.. e.Errors.Select(ToDiagnostic)]);
        }

        return ConfigurationPipeline.Build(document, [sourceName]);
    }

    private static async Task<TomlTable?> ParseFileAsync(string file, List<ConfigurationDiagnostic> errors, CancellationToken cancellationToken)
    {
        string text;
        try
        {
            var bytes = await File.ReadAllBytesAsync(file, cancellationToken).ConfigureAwait(false);
            text = StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            errors.Add(new(DiagnosticSeverity.Error, string.Empty, "file is not valid UTF-8", new TomlPosition(file, 1, 1)));
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            errors.Add(new(DiagnosticSeverity.Error, string.Empty, $"cannot read {file}: {e.Message}", null));
            return null;
        }

        try
        {
            return TomlReader.Parse(text, file);
        }
        catch (TomlException e)
        {
            errors.AddRange(e.Errors.Select(ToDiagnostic));
            return null;
        }
    }

    private static ConfigurationDiagnostic ToDiagnostic(TomlError error) =>
        new(DiagnosticSeverity.Error, string.Empty, error.Reason, error.Position);

    private static string Describe(string path) => Directory.Exists(path) ? "a directory, not a file" : "not found";

    private string RequireFile(string real, string label) =>
        File.Exists(real) ? real : throw new ConfigurationNotFoundException([$"{label} ({Describe(real)})"]);

    /// <summary>Puts absolute paths under the injected root; relative ones are taken from the current directory.</summary>
    private string Map(string path)
    {
        if (!System.IO.Path.IsPathRooted(path))
        {
            return System.IO.Path.GetFullPath(path);
        }

        return _options.FileSystemRoot is "/" or ""
            ? path
            : System.IO.Path.Join(_options.FileSystemRoot, path);
    }
}
