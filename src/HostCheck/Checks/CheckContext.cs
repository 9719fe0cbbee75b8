namespace Sealpod.HostCheck.Checks;

/// <summary>What every check group sees: the probe, the shared host facts, the configuration and containerd's settings.</summary>
public sealed class CheckContext
{
    public const string DefaultContainerdConfig = "/etc/containerd/config.toml";

    /// <param name="probe">The host to check.</param>
    /// <param name="config">The loaded runtime configuration; null when none was asked for.</param>
    /// <param name="containerdConfigPath">containerd's config.toml; <see cref="DefaultContainerdConfig"/> when null.</param>
    /// <param name="searchPath">The PATH to look for the shim on when containerd is not running; this process's PATH when null.</param>
    public CheckContext(IHostProbe probe, ConfigLoadOutcome? config, string? containerdConfigPath = null, string? searchPath = null)
    {
        ArgumentNullException.ThrowIfNull(probe);
        Probe = probe;
        Host = HostFacts.Gather(probe);
        Config = config;
        ContainerdConfigPath = containerdConfigPath ?? DefaultContainerdConfig;
        SearchPath = searchPath ?? System.Environment.GetEnvironmentVariable("PATH") ?? "";
    }

    public IHostProbe Probe { get; }

    public HostFacts Host { get; }

    /// <summary>Null when configuration checks were not asked for.</summary>
    public ConfigLoadOutcome? Config { get; }

    public RuntimeConfigFacts? ConfigFacts => Config?.Facts;

    public string ContainerdConfigPath { get; }

    public string SearchPath { get; }

    /// <summary>The TEE the configuration asks for; None without a configuration.</summary>
    public GuestProtection RequestedTee => ConfigFacts?.Tee ?? GuestProtection.None;

    /// <summary>
    /// The status of a capability the host lacks: FAIL when the configuration needs it; SKIP when a configuration was
    /// loaded and does not need it; WARN when there is no configuration to tell (the user should know what the host lacks).
    /// </summary>
    public CheckStatus Unavailable(bool required) =>
        required ? CheckStatus.Fail : ConfigFacts is not null ? CheckStatus.Skip : CheckStatus.Warn;
}
