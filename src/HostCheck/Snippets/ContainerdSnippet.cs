namespace Sealpod.HostCheck.Snippets;

/// <summary>The containerd CRI runtime entry for one configuration, in config version 2 (containerd 1.x) or 3 (2.x).</summary>
public static class ContainerdSnippet
{
    /// <param name="guestPull">containerd 2.x (version 3): the runtime pulls through the Sealpod snapshotter
    /// (CRI's per-runtime snapshotter); 1.x names it once for CRI (<see cref="SnapshotterSnippet"/>).</param>
    public static string Render(RuntimeConfigFacts config, string configPath, int configVersion = 2, bool guestPull = false)
    {
        ArgumentNullException.ThrowIfNull(config);
        var plugin = ContainerdConfigReader.CriPluginName(configVersion) is { } p && configVersion >= 2
            ? p
            : throw new ArgumentOutOfRangeException(nameof(configVersion), configVersion, "containerd config version 2 or 3");
        var name = RuntimeClassName.FromConfigFile(configPath);
        var table = $"plugins.{ContainerdConfigReader.Quote(plugin)}.containerd.runtimes.{name}";
        var text = new StringBuilder();
        text.Append("# ").Append(name).Append(": ").Append(config.Tee.ToDisplayName()).Append(", ").Append(config.Hypervisor).Append('\n');
        text.Append('[').Append(table).Append("]\n");
        text.Append("  runtime_type = \"").Append(ContainerdConfigReader.SealpodRuntimeType).Append("\"\n");
        text.Append("  privileged_without_host_devices = true\n");
        text.Append("  pod_annotations = [\"io.katacontainers.*\"]\n");
        if (guestPull && configVersion == 3)
        {
            text.Append("  snapshotter = \"").Append(SnapshotterSnippet.PluginName).Append("\"\n");
        }

        text.Append("  [").Append(table).Append(".options]\n");
        text.Append("    ConfigPath = ").Append(TomlString(configPath)).Append('\n');
        return text.ToString();
    }

    internal static string TomlString(string value)
    {
        var text = new StringBuilder("\"");
        foreach (var c in value)
        {
            _ = c switch
            {
                '"' => text.Append("\\\""),
                '\\' => text.Append("\\\\"),
                < ' ' or '\u007f' => text.Append($"\\u{(int)c:X4}"),
                _ => text.Append(c),
            };
        }

        return text.Append('"').ToString();
    }
}
