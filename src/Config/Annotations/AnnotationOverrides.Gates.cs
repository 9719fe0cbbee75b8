namespace Sealpod.Config;

/// <summary>
/// The one place that decides whether a pod may set an annotation at all: <c>enable_annotations</c> in the hypervisor
/// section, matched against the annotation's gate name.
/// </summary>
internal static partial class AnnotationOverrides
{
    /// <summary>
    /// The CCv0 SEV and agent annotations that change what the guest runs or how it is attested. Kata honours them for
    /// any pod; Sealpod gates them like the hypervisor family, under the name after <c>io.katacontainers.config.</c>.
    /// </summary>
    private static readonly string[] GatedOutsideHypervisor =
    [
        KataAnnotations.PreAttestationEnabled,
        KataAnnotations.PreAttestationUri,
        KataAnnotations.SevPolicy,
        KataAnnotations.AgentKernelModules,
    ];

    /// <summary>
    /// The name <c>enable_annotations</c> is matched against: the base name for a hypervisor annotation
    /// (<c>default_memory</c>), the name after <c>io.katacontainers.config.</c> for the others that are gated
    /// (<c>sev.policy</c>, <c>agent.kernel_modules</c>), null for annotations Kata leaves ungated.
    /// </summary>
    internal static string? GateNameOf(string annotation)
    {
        if (annotation.StartsWith(KataAnnotations.HypervisorPrefix, StringComparison.Ordinal))
        {
            return annotation[KataAnnotations.HypervisorPrefix.Length..];
        }

        return GatedOutsideHypervisor.Contains(annotation, StringComparer.Ordinal)
            ? annotation[KataAnnotations.ConfigPrefix.Length..]
            : null;
    }

    /// <summary>Null when the pod may set <paramref name="annotation"/>, else the error naming the pattern it lacks.</summary>
    private static string? Gate(string annotation, HypervisorConfig hypervisor, ref AnnotationAllowList? allowList)
    {
        if (GateNameOf(annotation) is not { } gateName)
        {
            return null;
        }

        allowList ??= new AnnotationAllowList(hypervisor.EnableAnnotations);
        return allowList.IsEnabled(gateName)
            ? null
            : $"annotation is not enabled: enable_annotations in [{SectionName(hypervisor)}] has no pattern matching \"{gateName}\"";
    }
}
