namespace Sealpod.HostCheck.Snippets;

/// <summary>
/// The Kubernetes RuntimeClass (node.k8s.io/v1) for one configuration: handler = the CRI runtime name, pod overhead
/// from the sandbox size, and a node selector that keeps pods on nodes labelled for Sealpod and for the TEE.
/// </summary>
public static class RuntimeClassManifest
{
    public const string RuntimeLabel = "sealpod.io/runtime";

    /// <summary>The node label a configuration's TEE requires, e.g. sealpod.io/tee-snp; null without a TEE.</summary>
    public static string? TeeLabel(GuestProtection tee) => tee == GuestProtection.None ? null : $"sealpod.io/tee-{tee.ToName()}";

    public static string Render(RuntimeConfigFacts config, string configPath)
    {
        ArgumentNullException.ThrowIfNull(config);
        var name = RuntimeClassName.FromConfigFile(configPath);
        var overhead = PodOverhead.For(config.DefaultMemoryMiB, config.DefaultVcpus);
        var teeLabel = TeeLabel(config.Tee);
        var labels = teeLabel is null ? $"{RuntimeLabel}=true" : $"{RuntimeLabel}=true {teeLabel}=true";
        var text = new StringBuilder();
        text.Append("---\n");
        text.Append("# ").Append(name).Append(": ").Append(configPath).Append('\n');
        text.Append(CultureInfo.InvariantCulture,
            $"# overhead: default_memory {config.DefaultMemoryMiB}Mi + {PodOverhead.VmmMemoryMiB}Mi host-side, default_vcpus {config.DefaultVcpus} + {PodOverhead.VmmCpuMillis}m host-side\n");
        text.Append("# label the nodes that pass 'sealpod check --config ").Append(configPath).Append("': kubectl label node <node> ").Append(labels).Append('\n');
        text.Append("kind: RuntimeClass\n");
        text.Append("apiVersion: node.k8s.io/v1\n");
        text.Append("metadata:\n");
        text.Append("  name: ").Append(name).Append('\n');
        text.Append("handler: ").Append(name).Append('\n');
        text.Append("overhead:\n");
        text.Append("  podFixed:\n");
        text.Append("    memory: \"").Append(overhead.Memory).Append("\"\n");
        text.Append("    cpu: \"").Append(overhead.Cpu).Append("\"\n");
        text.Append("scheduling:\n");
        text.Append("  nodeSelector:\n");
        text.Append("    ").Append(RuntimeLabel).Append(": \"true\"\n");
        if (teeLabel is not null)
        {
            text.Append("    ").Append(teeLabel).Append(": \"true\"\n");
        }

        return text.ToString();
    }
}
