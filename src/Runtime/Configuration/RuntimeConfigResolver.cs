namespace Sealpod.Runtime.Configuration;

/// <summary>
/// The configuration a sandbox runs with: the file containerd named (runtime option <c>ConfigPath</c>), else the
/// search order, then the pod's annotations under the <c>enable_annotations</c> allow-list. Every failure is an
/// <see cref="InvalidArgumentException"/> naming the file, key or annotation.
/// </summary>
public sealed partial class RuntimeConfigResolver(ConfigurationLoader loader, ILogger logger)
{
    public async Task<SealpodConfiguration> ResolveAsync(
        string? configPath, IReadOnlyDictionary<string, string> annotations, CancellationToken cancellationToken, string? configBody = null)
    {
        ArgumentNullException.ThrowIfNull(annotations);
        SealpodConfiguration configuration;
        try
        {
            configuration = !string.IsNullOrEmpty(configBody)
                ? ConfigurationLoader.LoadText(configBody, "runtime option ConfigBody")
                : await loader.LoadAsync(string.IsNullOrEmpty(configPath) ? null : configPath, cancellationToken).ConfigureAwait(false);
        }
        catch (ConfigurationNotFoundException e)
        {
            throw new InvalidArgumentException($"no runtime configuration found: {e.Message}", e);
        }
        catch (ConfigurationException e)
        {
            throw new InvalidArgumentException($"invalid runtime configuration: {e.Message}", e);
        }

        foreach (var warning in configuration.Warnings)
        {
            LogWarning(logger, warning.ToString());
        }

        try
        {
            return configuration.WithAnnotations(annotations);
        }
        catch (ConfigurationException e)
        {
            throw new InvalidArgumentException($"annotation refused: {e.Message}", e);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "configuration: {Warning}")]
    private static partial void LogWarning(ILogger logger, string warning);
}
