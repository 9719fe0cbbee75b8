namespace Sealpod.Config;

/// <summary>What <see cref="ConfigurationLoader"/> reads from the outside world, injectable so tests never touch /etc.</summary>
public sealed record ConfigurationLoaderOptions
{
    /// <summary>Directory that stands for <c>/</c> when resolving the fixed search paths and absolute explicit paths.</summary>
    public string FileSystemRoot { get; init; } = "/";

    /// <summary>Environment lookup (for <c>SEALPOD_CONF_FILE</c>).</summary>
    public Func<string, string?> GetEnvironmentVariable { get; init; } = Environment.GetEnvironmentVariable;
}
