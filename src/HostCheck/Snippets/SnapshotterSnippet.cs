namespace Sealpod.HostCheck.Snippets;

/// <summary>
/// containerd's side of the Sealpod snapshotter (<c>sealpod-snapshotter</c>, src/Snapshotter): the proxy plugin on its
/// socket and CRI pulling through it with the remote-snapshotter labels on (disable_snapshot_annotations = false), so
/// image layers are left to the guest. containerd 1.x (config version 2) has one CRI snapshotter for every runtime;
/// 2.x (version 3) keeps the images plugin's default and each Sealpod runtime names the snapshotter
/// (<see cref="ContainerdSnippet"/> with guestPull).
/// </summary>
public static class SnapshotterSnippet
{
    /// <summary>The proxy plugin's name, what CRI's <c>snapshotter</c> keys name.</summary>
    public const string PluginName = "sealpod";

    public const string DefaultAddress = "/run/sealpod-snapshotter/snapshotter.sock";

    public static string Render(string address, int configVersion = 2)
    {
        ArgumentException.ThrowIfNullOrEmpty(address);
        var text = new StringBuilder();
        text.Append("# The Sealpod snapshotter (sealpod-snapshotter --address ").Append(address).Append("): image layers pulled in the guest, never on the host\n");
        text.Append("[proxy_plugins.").Append(PluginName).Append("]\n");
        text.Append("  type = \"snapshot\"\n");
        text.Append("  address = ").Append(ContainerdSnippet.TomlString(address)).Append('\n');
        if (configVersion == 3)
        {
            text.Append("[plugins.\"io.containerd.cri.v1.images\"]\n");
            text.Append("  disable_snapshot_annotations = false\n");
        }
        else
        {
            text.Append("[plugins.").Append(ContainerdConfigReader.Quote(ContainerdConfigReader.CriPluginName(configVersion)!)).Append(".containerd]\n");
            text.Append("  snapshotter = \"").Append(PluginName).Append("\"\n");
            text.Append("  disable_snapshot_annotations = false\n");
        }

        return text.ToString();
    }
}
