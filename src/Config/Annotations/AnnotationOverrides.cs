namespace Sealpod.Config;

/// <summary>
/// Applies a pod's <c>io.katacontainers.*</c> annotations to a configuration, with Kata's rules:
/// <list type="bullet">
/// <item>a <c>config.hypervisor.*</c> annotation needs its base name allowed by <c>enable_annotations</c>;</item>
/// <item>a path-valued one must also match the matching <c>valid_*_paths</c> globs, so no annotation can pick a host
/// binary or file the administrator did not list (CVE-2020-27151);</item>
/// <item>values are parsed as Kata parses them and a bad one is an error naming the annotation;</item>
/// <item>the CCv0 SEV annotations and <c>config.agent.kernel_modules</c> are gated too (Kata honours them for any pod;
/// see <c>AnnotationOverrides.Gates.cs</c>); the other <c>config.agent.*</c> and <c>config.runtime.*</c> annotations are
/// not (as in Kata).</item>
/// </list>
/// Every problem is collected; the result is validated again, so an override that breaks a cross-field rule (more
/// vCPUs than <c>default_maxvcpus</c>) is reported against the annotation.
/// </summary>
internal static partial class AnnotationOverrides
{
    public static SealpodConfiguration Apply(SealpodConfiguration config, IReadOnlyDictionary<string, string> annotations, HostMemory hostMemory)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(annotations);
        ArgumentNullException.ThrowIfNull(hostMemory);
        var errors = new List<ConfigurationDiagnostic>();
        var state = new Overrides(config, hostMemory);
        AnnotationAllowList? allowList = null;
        foreach (var (name, value) in annotations.OrderBy(a => a.Key, StringComparer.Ordinal))
        {
            string? error;
            if (Gate(name, config.Hypervisor, ref allowList) is { } refused)
            {
                // Refused before its value is read: a disabled annotation says nothing about what it would accept.
                error = refused;
            }
            else if (name.StartsWith(KataAnnotations.HypervisorPrefix, StringComparison.Ordinal))
            {
                var baseName = name[KataAnnotations.HypervisorPrefix.Length..];
                if (!HypervisorHandlers.TryGetValue(baseName, out var handler))
                {
                    error = "annotation is not supported by Sealpod";
                }
                else
                {
                    error = handler(state, value);
                    state.Applied[$"{SectionName(config.Hypervisor)}.{HypervisorKeyFor(baseName)}"] = name;
                }
            }
            else if (name.StartsWith(KataAnnotations.AgentPrefix, StringComparison.Ordinal) && name != KataAnnotations.AgentPolicy)
            {
                error = Dispatch(AgentHandlers, name[KataAnnotations.AgentPrefix.Length..], name, value, state);
            }
            else if (name.StartsWith(KataAnnotations.RuntimePrefix, StringComparison.Ordinal))
            {
                error = Dispatch(RuntimeHandlers, name[KataAnnotations.RuntimePrefix.Length..], name, value, state);
            }
            else if (OtherHandlers.TryGetValue(name, out var handler))
            {
                error = handler(state, value);
                if (OtherKeys.TryGetValue(name, out var key))
                {
                    state.Applied[$"{SectionName(config.Hypervisor)}.{key}"] = name;
                }
            }
            else
            {
                // Not a configuration annotation (container type, bundle path, ...): other layers read those.
                continue;
            }

            if (error is not null)
            {
                errors.Add(new ConfigurationDiagnostic(DiagnosticSeverity.Error, name, error, null));
            }
        }

        if (errors.Count > 0)
        {
            throw new ConfigurationException(errors);
        }

        var result = config with { Hypervisor = state.Hypervisor, Agent = state.Agent, Runtime = state.Runtime };
        Revalidate(result, state);
        return result with { Warnings = [.. config.Warnings, .. state.Warnings] };
    }

    private static void Revalidate(SealpodConfiguration result, Overrides state)
    {
        var diagnostics = new DiagnosticBag();
        ConfigurationValidator.Validate(result, diagnostics);
        if (!diagnostics.HasErrors)
        {
            return;
        }

        // Blame the annotation when the broken key came from one; the file position would point at the wrong value.
        var errors = diagnostics.Errors
            .Select(e => state.Applied.TryGetValue(e.Key, out var annotation)
                ? e with { Key = annotation, Position = null }
                : e with { Message = e.Message + " (after applying annotations)" })
            .ToArray();
        throw new ConfigurationException(errors);
    }

    private static string? Dispatch(FrozenDictionary<string, Handler> handlers, string baseName, string name, string value, Overrides state)
    {
        if (handlers.TryGetValue(baseName, out var handler))
        {
            return handler(state, value);
        }

        state.Warnings.Add(new ConfigurationDiagnostic(DiagnosticSeverity.Warning, name, "unknown annotation, ignored", null));
        return null;
    }

    private static string SectionName(HypervisorConfig hypervisor) =>
        "hypervisor." + ConfigChoices.HypervisorKind.NameOf(hypervisor.Kind);

    // The one annotation whose base name differs from its configuration key.
    private static string HypervisorKeyFor(string baseName) => baseName == "default_max_vcpus" ? "default_maxvcpus" : baseName;

    private delegate string? Handler(Overrides state, string value);

    /// <summary>The records being rebuilt while annotations are applied, plus what the validator needs to blame them.</summary>
    private sealed class Overrides(SealpodConfiguration config, HostMemory hostMemory)
    {
        public HostMemory HostMemory { get; } = hostMemory;

        public HypervisorConfig Hypervisor { get; set; } = config.Hypervisor;

        public AgentConfig Agent { get; set; } = config.Agent;

        public RuntimeConfig Runtime { get; set; } = config.Runtime;

        public List<ConfigurationDiagnostic> Warnings { get; } = [];

        /// <summary>Full configuration key (hypervisor.qemu.default_vcpus) to the annotation that set it.</summary>
        public Dictionary<string, string> Applied { get; } = new(StringComparer.Ordinal);
    }
}
